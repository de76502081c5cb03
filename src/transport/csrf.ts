import type { IncomingHttpHeaders } from "node:http";

/** Content types a browser may send cross-site without a preflight. */
const SIMPLE_CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "text/plain",
];

/** Headers that force a preflight, as Apollo Server's CSRF prevention accepts them. */
const PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"];

/**
 * Apollo Server's CSRF prevention, for the requests that do not pass through it: a request is let
 * through only if a browser must have preflighted it (a non-simple content type, or one of the
 * preflight headers). Returns the refusal, or null.
 */
export function csrfRefusal(headers: IncomingHttpHeaders): string | null {
  const contentType = headers["content-type"];
  if (contentType !== undefined) {
    const essence = contentType.split(";")[0].trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.includes(essence)) return null;
  }
  if (PREFLIGHT_HEADERS.some((name) => (headers[name]?.length ?? 0) > 0)) return null;
  return (
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either " +
    `specify a 'content-type' header (with a type that is not one of ${SIMPLE_CONTENT_TYPES.join(", ")}) ` +
    `or provide a non-empty value for one of the following headers: ${PREFLIGHT_HEADERS.join(", ")}`
  );
}
