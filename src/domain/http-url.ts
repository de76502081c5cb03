/** Longest URL the gateway accepts from a client or an upstream; browsers and CDNs handle this much. */
export const MAX_URL_LENGTH = 2048;

/** A URL as `new URL` reads it, or why the text is not an acceptable http(s) URL. */
export type HttpUrlCheck = { url: URL; problem?: undefined } | { url?: undefined; problem: string };

/**
 * Reads `text` as an absolute `http:` or `https:` URL of at most {@link MAX_URL_LENGTH} characters,
 * with a host and without credentials or whitespace. The WHATWG parser (Node's `URL`) is the one
 * browsers use, so what passes here is what a client would follow.
 */
export function checkHttpUrl(text: string): HttpUrlCheck {
  if (text.length > MAX_URL_LENGTH)
    return { problem: `is longer than ${MAX_URL_LENGTH} characters` };
  // The parser would silently drop tabs and newlines; a URL that carries them is not a clean one.
  if (/[\s\p{Cc}]/u.test(text)) return { problem: "contains whitespace or control characters" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "is not an absolute URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { problem: "must be an http:// or https:// URL" };
  }
  if (url.hostname === "") return { problem: "has no host" };
  if (url.username !== "" || url.password !== "") {
    return { problem: "must not carry credentials (user:password@)" };
  }
  return { url };
}
