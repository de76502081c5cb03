import pino, { type Logger } from "pino";

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

/** A pino logger at `level` (`LOG_LEVEL`), writing JSON lines to stdout or `destination`. */
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
