import { createClient, type Client } from "graphql-ws/client";
import type { TypedDocumentString } from "../generated/graphql";
import { apiErrorsOf, type ApiError } from "./api-error";

/** graphql-ws closes with 4403 when the gateway refuses the credential; retrying cannot help. */
const FORBIDDEN = 4403;

export type LiveState = "connecting" | "live" | "reconnecting" | "refused";

export interface LiveSink<T> {
  next(data: T): void;
  /** The operation ended with errors; nothing more comes for it. */
  error(errors: ApiError[]): void;
  complete?(): void;
}

export interface LiveOptions {
  url: string;
  /** Read at every (re)connection, so a new credential is used from the next socket on. */
  authorization: () => string | null;
  onState: (state: LiveState) => void;
  /** After a dropped socket came back: events sent meanwhile were missed. */
  onReconnected: () => void;
}

interface Active {
  payload: { query: string; variables: Record<string, unknown> };
  sink: LiveSink<unknown>;
  stop: () => void;
}

/**
 * Subscriptions over one graphql-ws connection (`connectionParams.authorization`), reconnecting with
 * graphql-ws's randomised backoff after a drop. `restart()` opens a new socket (a new credential) and
 * resubscribes what is active.
 */
export class LiveConnection {
  private client: Client;
  private readonly active = new Set<Active>();

  constructor(private readonly options: LiveOptions) {
    this.client = this.connect();
  }

  subscribe<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    sink: LiveSink<TResult>,
  ): () => void {
    const entry: Active = {
      payload: { query: document.toString(), variables: variables as Record<string, unknown> },
      sink: sink as LiveSink<unknown>,
      stop: () => undefined,
    };
    this.active.add(entry);
    this.start(entry);
    return () => {
      this.active.delete(entry);
      entry.stop();
    };
  }

  restart(): void {
    const old = this.client;
    this.client = this.connect();
    for (const entry of this.active) {
      entry.stop();
      this.start(entry);
    }
    void old.dispose();
  }

  private start(entry: Active): void {
    let current = true; // callbacks of a subscription replaced by restart() are ignored
    const unsubscribe = this.client.subscribe(entry.payload, {
      next: (result) => {
        if (!current) return;
        if (result.errors?.length) entry.sink.error(result.errors as ApiError[]);
        else if (result.data) entry.sink.next(result.data);
      },
      error: (error) => {
        if (!current) return;
        this.active.delete(entry);
        entry.sink.error(apiErrorsOf(error));
      },
      complete: () => {
        if (!current) return;
        this.active.delete(entry);
        entry.sink.complete?.();
      },
    });
    entry.stop = () => {
      current = false;
      unsubscribe();
    };
  }

  private connect(): Client {
    let connectedBefore = false;
    const { options } = this;
    // Events of a client that restart() replaced say nothing about the connection in use.
    const isCurrent = () => this.client === client;
    options.onState("connecting");
    const client: Client = createClient({
      url: options.url,
      // Connected from the start, so the live indicator is true and a submit needs no handshake.
      lazy: false,
      onNonLazyError: () => undefined, // reported through `closed` and each subscription's sink
      connectionParams: () => {
        const authorization = options.authorization();
        return authorization ? { authorization } : {};
      },
      // A page stays open for long: keep trying, with graphql-ws's growing random delays.
      retryAttempts: Infinity,
      shouldRetry: (event) => !isCloseEvent(event) || event.code !== FORBIDDEN,
      on: {
        connected: () => {
          if (!isCurrent()) return;
          options.onState("live");
          if (connectedBefore) options.onReconnected();
          connectedBefore = true;
        },
        closed: (event) => {
          if (!isCurrent()) return;
          const refused = isCloseEvent(event) && event.code === FORBIDDEN;
          options.onState(refused ? "refused" : "reconnecting");
        },
      },
    });
    return client;
  }
}

function isCloseEvent(value: unknown): value is { code: number } {
  return (
    typeof value === "object" && value !== null && typeof Reflect.get(value, "code") === "number"
  );
}
