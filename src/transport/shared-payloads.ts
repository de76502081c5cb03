import type { ExecutionResult, FormattedExecutionResult } from "graphql";

/** A key no GraphQL result can carry at the top of a `next` payload. */
const KEY = "\u0000payload";
/** How the placeholder's start reads inside graphql-ws's serialized `next` message. */
const MARKER = `"payload":${JSON.stringify({ [KEY]: 0 }).slice(0, -2)}`;

/**
 * One serialization of a result for every socket it goes to. graphql-ws serializes each `next`
 * message itself, so 10 000 watchers of one stream would serialize one shared result 10 000 times.
 * Instead, `onNext` hands graphql-ws a placeholder naming the result's JSON (made once per result
 * object), and the socket's `send`, which graphql-ws calls right after, puts that JSON in its place.
 * Each socket's pending payloads are its own: nothing crosses from one socket to another.
 */
export function createPayloadSharing() {
  const serialized = new WeakMap<ExecutionResult, string>();
  const pending = new WeakMap<object, Map<number, string>>();
  let nextToken = 0;
  return {
    /**
     * The payload for graphql-ws to send to `connection`: a placeholder for `result` as `format`
     * makes it, serialized once whoever else it goes to.
     */
    placeholder(
      connection: object,
      result: ExecutionResult,
      format: (result: ExecutionResult) => FormattedExecutionResult,
    ): FormattedExecutionResult {
      let json = serialized.get(result);
      if (json === undefined) serialized.set(result, (json = JSON.stringify(format(result))));
      let payloads = pending.get(connection);
      if (!payloads) pending.set(connection, (payloads = new Map()));
      const token = nextToken++;
      payloads.set(token, json);
      return { [KEY]: token } as FormattedExecutionResult;
    },
    /** The message `connection` is about to send, with its placeholder (if any) replaced. */
    fill(connection: object, message: string): string {
      const at = message.lastIndexOf(MARKER);
      if (at < 0) return message;
      const token = Number(message.slice(at + MARKER.length, -2));
      const payloads = pending.get(connection);
      const json = payloads?.get(token);
      if (json === undefined) return message;
      payloads!.delete(token);
      return `${message.slice(0, at)}"payload":${json}}`;
    },
  };
}

export type PayloadSharing = ReturnType<typeof createPayloadSharing>;
