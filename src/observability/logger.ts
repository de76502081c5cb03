import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a logged object. Secrets should never be logged in the
 * first place; this is the second line of defence.
 */
const REDACT_PATHS = [
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "connectionParams.authorization",
  "config.apimartApiKey",
  "config.clientKeys[*].secret",
  "config.jwt.secret",
];

/**
 * A pino logger at `level` (`LOG_LEVEL`), writing JSON lines to stdout or `destination` (e.g.
 * {@link prettyDestination} on a terminal).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "video-gateway" },
    },
    destination,
  );
}

/**
 * Human-readable, coloured lines for a developer's terminal: pino-pretty as an in-process stream
 * (no worker thread, nothing fetched), behind the same redaction as the JSON lines.
 */
export function prettyDestination(
  options: { destination?: NodeJS.WritableStream; colorize?: boolean } = {},
): pino.DestinationStream {
  return pretty({
    colorize: options.colorize ?? true,
    destination: options.destination ?? 1,
    sync: options.destination !== undefined,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
  });
}
