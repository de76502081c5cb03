import type { IncomingMessage } from "node:http";

/**
 * A refused body, shaped as body-parser's errors (`status`, `type`) so that {@link bodyProblem}
 * answers it exactly as it answers the Express app's parser.
 */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether {@link readJsonBody} can read this request as Express's `express.json()` would: no
 * `Content-Encoding` (or `identity`) and UTF-8 or no charset. The rest (gzip, other charsets) is
 * left to body-parser on the Express app, which inflates or refuses it.
 */
export function plainJsonBody(req: IncomingMessage, contentType: string): boolean {
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1];
  return charset === undefined || charset.toLowerCase() === "utf-8";
}

/**
 * Reads a JSON request body of at most `limit` bytes, with `express.json()`'s rules: a declared or
 * actual size past the limit is 413 `entity.too.large` (reading stops there), an empty body is `{}`,
 * only an object or an array is accepted (strict), a UTF-8 byte-order mark is skipped, and invalid
 * JSON is 400 `entity.parse.failed`. For requests {@link plainJsonBody} accepts.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) {
      return reject(new BodyError(413, "entity.too.large", "request entity too large"));
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("aborted", onAborted);
      req.off("error", onError);
    };
    const fail = (error: BodyError) => {
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit)
        fail(new BodyError(413, "entity.too.large", "request entity too large"));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(parseStrict(Buffer.concat(chunks, received).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    };
    const onAborted = () => fail(new BodyError(400, "request.aborted", "request aborted"));
    const onError = (error: Error) => fail(new BodyError(400, "request.error", error.message));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("aborted", onAborted);
    req.on("error", onError);
  });
}

function parseStrict(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== "{" && first !== "[") {
    throw new BodyError(400, "entity.parse.failed", "only an object or an array is accepted");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, "entity.parse.failed", (error as Error).message);
  }
}
