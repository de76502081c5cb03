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

/** @default level "info", or `LOG_LEVEL`; "silent" in tests unless `LOG_LEVEL` says otherwise */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const level =
    options.level ?? process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? "silent" : "info");
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "video-gateway" },
    },
    options.destination,
  );
}
