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

/**
 * Whether `error` says PostgreSQL is unavailable (down, unreachable, restarting, or slower than the
 * timeouts) rather than that a query was wrong; the first kind is worth retrying later.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
    return true;
  }
  // AggregateError when every address of a host refused; `cause` when the pool wraps a timeout.
  if (error instanceof AggregateError && error.errors.some(isUnavailable)) return true;
  return PG_CONNECTION_MESSAGES.test(error.message) || isUnavailable(error.cause);
}

/**
 * One line saying why PostgreSQL refused or failed, with its code, for a start-up error. The URL and
 * its password are cut out should a message ever quote them.
 */
export function describeFailure(error: unknown, url: string): string {
  const inner = error instanceof AggregateError ? error.errors[0] : undefined;
  const message =
    error instanceof Error ? error.message || inner?.message || error.name : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  let line = message.split("\n")[0] + (typeof code === "string" ? ` (${code})` : "");
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
