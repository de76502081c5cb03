import type { IncomingMessage } from "node:http";
import getRawBody from "raw-body";

/**
 * `application/json`, alone or with `charset=utf-8` (quoted or not, any case): the only content
 * types {@link readJsonBody} reads. Anything else, however close, goes to the Express app, where
 * body-parser's own content-type parsing decides.
 */
const PLAIN_JSON =
  /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/**
 * Whether {@link readJsonBody} can read this request exactly as `express.json()` would: a plain
 * JSON content type and no `Content-Encoding` (or `identity`). Compressed bodies and other charsets
 * are left to body-parser, which inflates, decodes or refuses them.
 */
export function plainJsonBody(req: IncomingMessage): boolean {
  const contentType = req.headers["content-type"];
  const encoding = req.headers["content-encoding"];
  return (
    contentType !== undefined &&
    PLAIN_JSON.test(contentType) &&
    (encoding === undefined || encoding.toLowerCase() === "identity")
  );
}

/**
 * Reads a JSON body of at most `limit` bytes as `express.json()` does. The bytes come from raw-body,
 * body-parser's own reader: a declared or counted size past the limit is 413 `entity.too.large`, an
 * aborted request 400, and Node reads off what is left of a refused body once the answer is sent, so
 * the connection serves the next request. Then body-parser's strict rules: an empty body is `{}`,
 * only an object or an array is accepted, a UTF-8 byte-order mark is skipped, invalid JSON is 400
 * `entity.parse.failed`. Errors carry `status` and `type` as body-parser's do, for `bodyProblem`.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await getRawBody(req, {
    length: req.headers["content-length"],
    limit,
    encoding: "utf-8",
  });
  return parseStrict(raw);
}

function parseStrict(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== "{" && first !== "[") throw parseFailed("only an object or an array is accepted");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw parseFailed((error as Error).message);
  }
}

const parseFailed = (message: string) =>
  Object.assign(new Error(message), { status: 400, type: "entity.parse.failed" });
