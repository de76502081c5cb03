/** Socket errors that mean the server could not be reached or the connection broke. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away, starting, overloaded or too slow: 08 connection
 * exception, 53 insufficient resources (too many connections, disk or memory full), 57P01..57P03
 * (shut down by an administrator, crashed, not accepting connections yet), 57014 (cancelled by
 * `statement_timeout`).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[123]$|57014$)/;

/** What node-postgres says, without a code, when a connection breaks or times out. */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end)/;

/** What node-postgres and Node's sockets put on an error; read by shape, not `instanceof`. */
interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  /** An AggregateError's: every address of a host that refused. */
  errors?: unknown;
}

/**
 * Whether `error` says PostgreSQL is unavailable (down, unreachable, restarting, or slower than the
 * timeouts) rather than that a query was wrong; the first kind is worth retrying later. Errors are
 * read by shape: socket errors come from Node's own realm, where `instanceof Error` can fail (jest).
 */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message, cause, errors } = error as ErrorLike;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
    return true;
  }
  if (typeof message === "string" && PG_CONNECTION_MESSAGES.test(message)) return true;
  return (Array.isArray(errors) && errors.some(isUnavailable)) || isUnavailable(cause);
}

/**
 * One line saying why PostgreSQL refused or failed, with its code, for a start-up error. The URL and
 * its password are cut out should a message ever quote them.
 */
export function describeFailure(error: unknown, url: string): string {
  const { code, message, errors } = (
    typeof error === "object" && error !== null ? error : {}
  ) as ErrorLike;
  const first = Array.isArray(errors) ? (errors[0] as ErrorLike | undefined)?.message : undefined;
  const text =
    [message, first].find((m): m is string => typeof m === "string" && m !== "") ?? String(error);
  let line = text.split("\n")[0] + (typeof code === "string" ? ` (${code})` : "");
  for (const secret of [url, passwordOf(url)]) {
    if (secret) line = line.split(secret).join("<redacted>");
  }
  return line;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}
