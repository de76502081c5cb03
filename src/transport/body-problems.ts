import { RequestErrorCode } from "../domain/error-codes";

/** What the JSON body parser refuses, said in JSON: never Express's HTML page with a stack trace. */
const BODY_PROBLEMS: Record<string, { message: string; code: RequestErrorCode }> = {
  "entity.too.large": {
    message: "The request body is too large.",
    code: RequestErrorCode.PAYLOAD_TOO_LARGE,
  },
  "entity.parse.failed": {
    message: "The request body is not valid JSON.",
    code: RequestErrorCode.BAD_REQUEST,
  },
  "charset.unsupported": {
    message: "The request body must be UTF-8.",
    code: RequestErrorCode.BAD_REQUEST,
  },
  "encoding.unsupported": {
    message: "The request body's Content-Encoding is not supported.",
    code: RequestErrorCode.BAD_REQUEST,
  },
};

/**
 * The answer to a body the parser refused (its status, a GraphQL-shaped error body), or null for a
 * server-side failure (5xx), which is not the client's to read about.
 */
export function bodyProblem(error: unknown): { status: number; body: unknown } | null {
  const { status: raw, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  const status = typeof raw === "number" ? raw : 500;
  if (status >= 500) return null;
  const problem = BODY_PROBLEMS[type as string] ?? {
    message: "The request could not be read.",
    code: RequestErrorCode.BAD_REQUEST,
  };
  return {
    status,
    body: { errors: [{ message: problem.message, extensions: { code: problem.code } }] },
  };
}
