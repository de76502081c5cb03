/** Longest URL the gateway accepts from a client or an upstream; browsers and CDNs handle this much. */
export const MAX_URL_LENGTH = 2048;

/** Why a text is not an acceptable http(s) URL. */
export type HttpUrlProblem =
  "too_long" | "whitespace" | "not_absolute" | "not_http" | "no_host" | "credentials";

export const HTTP_URL_PROBLEMS: Readonly<Record<HttpUrlProblem, string>> = {
  too_long: `is longer than ${MAX_URL_LENGTH} characters`,
  whitespace: "contains whitespace, control characters or a lone surrogate",
  not_absolute: "is not an absolute URL",
  not_http: "is not an http:// or https:// URL",
  no_host: "has no host",
  credentials: "carries credentials (user:password@)",
};

/** A URL as `new URL` reads it, or why the text is not an acceptable http(s) URL. */
export type HttpUrlCheck =
  { url: URL; problem?: undefined } | { url?: undefined; problem: HttpUrlProblem };

/**
 * Reads `text` as an absolute `http:` or `https:` URL of at most {@link MAX_URL_LENGTH} characters,
 * with a host and without credentials or whitespace. The WHATWG parser (Node's `URL`) is the one
 * browsers use, so what passes here is what a client would follow.
 */
export function checkHttpUrl(text: string): HttpUrlCheck {
  if (text.length > MAX_URL_LENGTH) return { problem: "too_long" };
  // The parser would silently drop tabs and newlines; a URL that carries them is not a clean one.
  // A lone surrogate would be stored as it came, and PostgreSQL's jsonb refuses it.
  if (/[\s\p{Cc}\p{Cs}]/u.test(text)) return { problem: "whitespace" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "not_absolute" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { problem: "not_http" };
  if (url.hostname === "") return { problem: "no_host" };
  if (url.username !== "" || url.password !== "") return { problem: "credentials" };
  return { url };
}
