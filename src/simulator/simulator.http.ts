import type { IncomingMessage, ServerResponse } from "node:http";

/** The upstream's `error.type` for each HTTP status the simulator answers with (UPSTREAM.md, "Errors"). */
export const ERROR_TYPES = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "payment_required",
  403: "permission_error",
  404: "not_found_error",
  413: "invalid_request_error",
  429: "rate_limit_error",
  500: "server_error",
  502: "bad_gateway",
  503: "server_error",
  504: "server_error",
} as const;

export type ErrorStatus = keyof typeof ERROR_TYPES;

/** One answer, built by a handler and written (or withheld, under a fault) by the server. */
export interface SimulatorReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** 1 MiB: larger bodies get 413 instead of being buffered. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimulatorReply {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

/** An error in the upstream's format: `{"error":{"code":<status>,"message":…,"type":…}}`. */
export function errorReply(
  status: ErrorStatus,
  message: string,
  headers: Record<string, string> = {},
): SimulatorReply {
  return jsonReply(
    status,
    { error: { code: status, message, type: ERROR_TYPES[status] } },
    headers,
  );
}

export function writeReply(res: ServerResponse, reply: SimulatorReply, headOnly = false): void {
  // A 204 must not carry Content-Length (RFC 9110, section 8.6).
  const length =
    reply.status === 204 ? {} : { "content-length": String(Buffer.byteLength(reply.body)) };
  res.writeHead(reply.status, { ...reply.headers, ...length });
  res.end(headOnly ? undefined : reply.body);
}

/** Resolves with the body as text, or `undefined` once it exceeds `maxBytes` (reading stops there). */
export function readBody(
  req: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<string | undefined> {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
