import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Subscription<T> {
  /** Every `next` payload's data, in arrival order. */
  events: T[];
  /** Errors the server sent for this operation. */
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** Settles when the server completes the operation (or it errors). */
  done: Promise<void>;
  /** Resolves at the n-th event. */
  nth(n: number): Promise<T>;
  unsubscribe(): void;
}

/** A graphql-ws client over a real WebSocket; no retries, so a refused connection shows as a close. */
export function connect(
  url: string,
  token?: string,
  onClose?: (event: { code: number; reason: string }) => void,
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: onClose ? { closed: (event) => onClose(event as { code: number; reason: string }) } : {},
  });
}

export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Subscription<T> {
  const events: T[] = [];
  const errors: Subscription<T>["errors"] = [];
  const waiters: Array<{ n: number; resolve: (value: T) => void }> = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) errors.push(...(result.errors as Subscription<T>["errors"]));
          if (result.data) {
            events.push(result.data as T);
            waiters
              .filter((waiter) => waiter.n === events.length)
              .forEach((waiter) => waiter.resolve(result.data as T));
          }
        },
        error: (error) => reject(error),
        complete: () => resolve(),
      },
    );
  });
  // Tests may look at `done` only after the close; that late look must not be an unhandled rejection.
  done.catch(() => undefined);
  return {
    events,
    errors,
    done,
    nth: (n) =>
      events.length >= n
        ? Promise.resolve(events[n - 1])
        : new Promise<T>((resolve) => waiters.push({ n, resolve })),
    unsubscribe: () => unsubscribe(),
  };
}
