import path from "node:path";
import { z } from "zod";
import type { ClientKey } from "../auth/client-key.authenticator";

/*
 * Every environment variable the gateway and `npm run simulator` read, how each is checked, and
 * every default: the one place a default is written. `loadConfig` (config.ts) and
 * `loadSimulatorConfig` (simulator.config.ts) map what these schemas parse.
 */

/** A blank value counts as unset, so it takes the default rather than coercing to 0. */
const blankAsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const int = (min: number, max: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(min).max(max).optional());
const ratio = () => z.preprocess(blankAsUnset, z.coerce.number().min(0).max(1).optional());
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const clientKeys = optionalText.transform((value, ctx): ClientKey[] => {
  if (value === undefined) return [];
  const keys = value.split(",").map((entry) => {
    const colon = entry.indexOf(":");
    // Without a colon, nothing of the entry is shown back: it may be a bare secret.
    if (colon < 0) return { name: "", secret: "" };
    return { name: entry.slice(0, colon).trim(), secret: entry.slice(colon + 1).trim() };
  });
  keys.forEach((key, index) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key.name)) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${index + 1}: expected name:secret with a name of letters, digits, _ . -`,
      });
    } else if (key.secret.length < 16) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${index + 1} (${key.name}): the secret must be at least 16 characters`,
      });
    }
  });
  const names = keys.map((key) => key.name);
  if (new Set(names).size !== names.length)
    ctx.addIssue({ code: "custom", message: "names must be unique" });
  return keys;
});

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL")
  .transform((value) => value.replace(/\/+$/, ""));

/** The simulator's variables, read by the gateway (built-in simulator) and by `npm run simulator`. */
const simulatorFields = {
  SIMULATOR_PORT: int(0, 65535).default(4010),
  SIMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  SIMULATOR_QUEUED_MS: int(0, 3_600_000).default(2000),
  SIMULATOR_PROCESSING_MS: int(0, 3_600_000).default(18_000),
  SIMULATOR_FAILURE_RATE: ratio().default(0),
  SIMULATOR_PUBLIC_URL: optionalText.pipe(
    httpUrl
      .refine(
        (value) => !/^https?:\/\/[^/]*@|[?#]/.test(value),
        "must be an absolute http(s) URL without credentials, query or fragment",
      )
      .optional(),
  ),
  SIMULATOR_STATE_PATH: optionalText,
};
/** `*`, or a comma-separated list of origins (`scheme://host[:port]`, no path). */
const corsOrigins = optionalText.transform((value, ctx): "*" | string[] => {
  if (value === undefined || value === "*") return "*";
  const origins = value.split(",").map((entry) => entry.trim());
  origins.forEach((origin, index) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${index + 1}: expected an origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash), or * alone`,
      });
    }
  });
  return origins;
});

/** The SQLite file when neither DATABASE_URL nor DATABASE_PATH is set. */
export const DEFAULT_DATABASE_PATH = "./data/gateway.db";

/** The built-in simulator keeps its state next to the SQLite file (none for an in-memory one). */
export const besideDatabase = (databasePath: string): string | undefined =>
  databasePath === ":memory:"
    ? undefined
    : path.join(path.dirname(databasePath), "simulator-state.jsonl");

/** Every environment variable the gateway reads, with its default. See the README's configuration table. */
export const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  LISTEN_BACKLOG: int(1, 65_535).default(4096),
  CORS_ORIGINS: corsOrigins,
  APIMART_API_KEY: optionalText,
  APIMART_BASE_URL: httpUrl.default("https://api.apimart.ai"),
  GATEWAY_API_KEYS: clientKeys,
  GATEWAY_JWT_SECRET: optionalText.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  GATEWAY_JWT_JWKS_URL: optionalText.pipe(httpUrl.optional()),
  GATEWAY_JWT_ISSUER: optionalText,
  GATEWAY_JWT_AUDIENCE: optionalText,
  DATABASE_PATH: z.string().min(1).optional(),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(1, 1000).default(10),
  // Both fail-fast limits: a request waits at most about this long for PostgreSQL before it is told.
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 600_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5000),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  ),
  POLL_INTERVAL_MS: int(10, 600_000).default(2000),
  POLL_MAX_INTERVAL_MS: int(10, 3_600_000).default(15_000),
  POLL_MAX_BACKOFF_MS: int(10, 3_600_000).default(60_000),
  POLL_JITTER_RATIO: ratio().default(0.1),
  POLL_CONCURRENCY: int(1, 1000).default(16),
  POLL_RATE_PER_SECOND: int(1, 100_000).default(20),
  ALLOW_PRIVATE_FRAME_URLS: z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .default("false")
    .transform((value) => value === "true"),
  POLL_LEASE_MS: int(1000, 600_000).default(10_000),
  POLL_RESUME_INTERVAL_MS: int(1000, 24 * 3_600_000).default(30_000),
  RECONCILE_BY_RESUBMIT: z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
  TASK_DEADLINE_MS: int(1000, 7 * 24 * 3_600_000).default(2 * 3_600_000),
  UPSTREAM_LOST_AFTER_MS: int(0, 7 * 24 * 3_600_000).default(10 * 60_000),
  UPSTREAM_SUBMIT_TIMEOUT_MS: int(100, 600_000).default(30_000),
  UPSTREAM_STATUS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  UPSTREAM_MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  IDEMPOTENCY_TTL_HOURS: int(24, 24 * 365).default(24),
  MAX_ACTIVE_TASKS_PER_CLIENT: int(0, 1_000_000).default(20),
  RATE_LIMIT_SUBMITS_PER_MINUTE: int(0, 1_000_000).default(30),
  MAX_REQUEST_BYTES: int(1024, 100 * 1024 * 1024).default(102_400),
  MAX_TOKENS: int(50, 1_000_000).default(2000),
  MAX_DEPTH: int(2, 1000).default(10),
  MAX_ALIASES: int(0, 1000).default(15),
  MAX_DIRECTIVES: int(0, 1000).default(10),
  MAX_COST: int(10, 10_000_000).default(5000),
  WS_MAX_PAYLOAD_BYTES: int(1024, 100 * 1024 * 1024).default(65_536),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int(1, 100_000).default(50),
  MAX_SUBSCRIPTIONS_PER_CLIENT: int(1, 1_000_000).default(200),
  WS_MAX_OPERATIONS_IN_FLIGHT: int(2, 1_000_000).default(100),
  WS_MAX_BUFFERED_BYTES: int(65_536, 1024 * 1024 * 1024).default(1_048_576),
  HTTP_MAX_PIPELINED_REQUESTS: int(1, 10_000).default(10),
  HTTP_SLOW_READER_TIMEOUT_MS: int(1000, 3_600_000).default(30_000),
  METRICS_ENABLED: z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
  MULTIPART_HEARTBEAT_MS: int(10, 600_000).default(5000),
  SHUTDOWN_TIMEOUT_MS: int(2000, 600_000).default(10_000),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  NODE_ENV: z.string().optional(),
  ...simulatorFields,
});

/** What `npm run simulator` reads: the simulator's variables, and the key it may require. */
export const simulatorEnvSchema = z.object({ ...simulatorFields, SIMULATOR_API_KEY: optionalText });

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses `env` with `schema`; throws a {@link ConfigError} naming every bad variable in one line. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0]);
    const raw = env[variable];
    // Keys, secrets and URLs (which may carry a password) are never echoed back.
    const shown = /KEY|SECRET|URL/.test(variable) || raw === undefined ? "" : ` (got "${raw}")`;
    return `${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
}
