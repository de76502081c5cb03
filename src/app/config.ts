import path from "node:path";
import { z } from "zod";
import type { ClientKey } from "../auth/client-key.authenticator";

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
const DEFAULT_DATABASE_PATH = "./data/gateway.db";

/** The built-in simulator keeps its state next to the SQLite file (none for an in-memory one). */
const besideDatabase = (databasePath: string): string | undefined =>
  databasePath === ":memory:"
    ? undefined
    : path.join(path.dirname(databasePath), "simulator-state.jsonl");

/** Every environment variable the gateway reads, with its default. See the README's configuration table. */
const envSchema = z.object({
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

export interface Config {
  port: number;
  host: string;
  /**
   * Connections the kernel may hold for the gateway before it accepts them; a connect storm past it
   * gets retried SYNs (seconds of delay) or resets. Linux caps it at `net.core.somaxconn`.
   */
  listenBacklog: number;
  /** Browser origins allowed to call `/graphql` (`CORS_ORIGINS`): any (`*`) or these. */
  corsOrigins: "*" | string[];
  /** Unset: the gateway starts the built-in simulator and talks to it. */
  apimartApiKey: string | undefined;
  apimartBaseUrl: string;
  clientKeys: ClientKey[];
  /** Set when JWT bearer tokens are accepted (HS256 secret and/or a JWKS URL). */
  jwt: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string } | undefined;
  /**
   * Frame URLs may point into a private network (loopback, RFC 1918, CGNAT, ULA, local names), for an
   * upstream that fetches from inside it. Metadata and link-local addresses stay refused.
   */
  allowPrivateFrameUrls: boolean;
  database: DatabaseConfig;
  poller: {
    intervalMs: number;
    maxIntervalMs: number;
    maxBackoffMs: number;
    jitterRatio: number;
    concurrency: number;
    ratePerSecond: number;
    taskDeadlineMs: number;
    /** How long the upstream may deny knowing a confirmed task before it fails as lost. */
    upstreamLostAfterMs: number;
    /** Resubmit unconfirmed submits under their Idempotency-Key (the upstream must honour it). */
    resubmitUnconfirmed: boolean;
    /** How often every active task in the store is scheduled again (a no-op for those that are). */
    resumeIntervalMs: number;
  };
  /** Cluster mode (`REDIS_URL`, with PostgreSQL): events and polling on Redis, shared by instances. */
  cluster: ClusterConfig | undefined;
  /** Timeouts of upstream calls, and the largest answer body read (`UPSTREAM_MAX_BODY_BYTES`). */
  upstream: { submitTimeoutMs: number; statusTimeoutMs: number; maxBodyBytes: number };
  /** The built-in simulator; a fixed port and a state file keep tasks and links across restarts. */
  simulator: {
    port: number;
    host: string;
    queuedMs: number;
    processingMs: number;
    failureRate: number;
    publicUrl: string | undefined;
    statePath: string | undefined;
  };
  /** How long an idempotency key is remembered (at least 24 h). */
  idempotencyTtlMs: number;
  /** Per principal; 0 turns a limit off. */
  quotas: { maxActiveTasks: number; submitsPerMinute: number };
  /** Abuse limits, the same on HTTP and WebSocket. */
  limits: {
    maxRequestBytes: number;
    maxTokens: number;
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxCost: number;
    wsMaxPayloadBytes: number;
    maxSubscriptionsPerConnection: number;
    maxSubscriptionsPerClient: number;
    /** Live subscriptions count too, so this is above `maxSubscriptionsPerConnection`. */
    wsMaxOperationsInFlight: number;
    wsMaxBufferedBytes: number;
    httpMaxPipelinedRequests: number;
    httpSlowReaderTimeoutMs: number;
  };
  /** Serve `GET /metrics` (Prometheus); meant for the internal network only. */
  metricsEnabled: boolean;
  /** Multipart HTTP subscriptions: a `{}` heartbeat part this often (5 s, as Apollo Router). */
  multipart: { heartbeatMs: number };
  /** NODE_ENV=production: no introspection, no stack traces, no "did you mean" suggestions. */
  production: boolean;
  /** How a graceful stop spends its time (`SHUTDOWN_TIMEOUT_MS`). */
  shutdown: ShutdownBudget;
  logLevel: string;
}

/** Where tasks live: a SQLite file (the embedded default) or PostgreSQL (`DATABASE_URL`). */
export interface ClusterConfig {
  /** May carry a password: never logged or echoed. */
  redisUrl: string;
  /** A dead instance's poll in progress is taken over by another instance within this. */
  pollLeaseMs: number;
}

export type DatabaseConfig =
  | { kind: "sqlite"; path: string }
  | {
      kind: "postgres";
      /** May carry a password: never logged or echoed. */
      url: string;
      poolSize: number;
      /** Longest wait for a connection (a new one, or a free one from a full pool). */
      connectTimeoutMs: number;
      /** Longest one statement may run, locks included. */
      statementTimeoutMs: number;
    };

/**
 * The one budget of a graceful stop, in the order its phases run. They add up to less than `totalMs`,
 * after which the process exits whatever is left; the rest is for closing the store and the simulator.
 */
export interface ShutdownBudget {
  /** Hard limit: `main` exits after this even if a phase hangs. */
  totalMs: number;
  /** WebSocket clients get a 1001 close, then are cut after this. */
  webSocketsMs: number;
  /** HTTP requests in progress may finish within this; then their sockets are cut. */
  httpDrainMs: number;
  /** Submits still running (e.g. over a closed WebSocket) may finish within this. */
  submitsMs: number;
  /** Polls in flight may store their results within this. */
  pollsMs: number;
}

/** Splits a total stop time into its phases; most of it goes to requests that are still running. */
export function shutdownBudget(totalMs: number): ShutdownBudget {
  return {
    totalMs,
    webSocketsMs: Math.round(totalMs * 0.1),
    httpDrainMs: Math.round(totalMs * 0.3),
    submitsMs: Math.round(totalMs * 0.15),
    pollsMs: Math.round(totalMs * 0.2),
  };
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses `env` with `schema`; throws a {@link ConfigError} naming every bad variable in one line. */
function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
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

/** Parses the environment into a {@link Config}; throws a {@link ConfigError} with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(envSchema, env);
  const jwtConfigured = e.GATEWAY_JWT_SECRET !== undefined || e.GATEWAY_JWT_JWKS_URL !== undefined;
  if (e.APIMART_API_KEY !== undefined && e.GATEWAY_API_KEYS.length === 0 && !jwtConfigured) {
    throw new ConfigError(
      "Invalid configuration: GATEWAY_API_KEYS: required when APIMART_API_KEY is set (name:secret,...) unless GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL is, so strangers cannot spend the upstream balance",
    );
  }
  if (!jwtConfigured && (e.GATEWAY_JWT_ISSUER || e.GATEWAY_JWT_AUDIENCE)) {
    throw new ConfigError(
      "Invalid configuration: GATEWAY_JWT_ISSUER/GATEWAY_JWT_AUDIENCE: set GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL too",
    );
  }
  if (e.POLL_MAX_INTERVAL_MS < e.POLL_INTERVAL_MS) {
    throw new ConfigError(
      "Invalid configuration: POLL_MAX_INTERVAL_MS: must be >= POLL_INTERVAL_MS",
    );
  }
  if (e.WS_MAX_OPERATIONS_IN_FLIGHT <= e.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    throw new ConfigError(
      "Invalid configuration: WS_MAX_OPERATIONS_IN_FLIGHT: must be above MAX_SUBSCRIPTIONS_PER_CONNECTION (live subscriptions count as operations in flight)",
    );
  }
  if (e.DATABASE_URL !== undefined && e.DATABASE_PATH !== undefined) {
    throw new ConfigError(
      "Invalid configuration: DATABASE_URL/DATABASE_PATH: set one, not both (DATABASE_URL for PostgreSQL, DATABASE_PATH for a SQLite file)",
    );
  }
  if (e.REDIS_URL !== undefined && e.DATABASE_URL === undefined) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL: cluster mode needs PostgreSQL: set DATABASE_URL too (a SQLite file belongs to one process)",
    );
  }
  if (e.REDIS_URL !== undefined && e.APIMART_API_KEY === undefined) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL: every instance must poll the same upstream: set APIMART_API_KEY and APIMART_BASE_URL (e.g. one simulator run with npm run simulator), not each instance's built-in simulator",
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    listenBacklog: e.LISTEN_BACKLOG,
    corsOrigins: e.CORS_ORIGINS,
    apimartApiKey: e.APIMART_API_KEY,
    apimartBaseUrl: e.APIMART_BASE_URL,
    clientKeys: e.GATEWAY_API_KEYS,
    jwt: jwtConfigured
      ? {
          secret: e.GATEWAY_JWT_SECRET,
          jwksUrl: e.GATEWAY_JWT_JWKS_URL,
          issuer: e.GATEWAY_JWT_ISSUER,
          audience: e.GATEWAY_JWT_AUDIENCE,
        }
      : undefined,
    allowPrivateFrameUrls: e.ALLOW_PRIVATE_FRAME_URLS,
    database:
      e.DATABASE_URL === undefined
        ? { kind: "sqlite", path: e.DATABASE_PATH ?? DEFAULT_DATABASE_PATH }
        : {
            kind: "postgres",
            url: e.DATABASE_URL,
            poolSize: e.DATABASE_POOL_SIZE,
            connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
          },
    poller: {
      intervalMs: e.POLL_INTERVAL_MS,
      maxIntervalMs: e.POLL_MAX_INTERVAL_MS,
      maxBackoffMs: e.POLL_MAX_BACKOFF_MS,
      jitterRatio: e.POLL_JITTER_RATIO,
      concurrency: e.POLL_CONCURRENCY,
      ratePerSecond: e.POLL_RATE_PER_SECOND,
      taskDeadlineMs: e.TASK_DEADLINE_MS,
      upstreamLostAfterMs: e.UPSTREAM_LOST_AFTER_MS,
      resubmitUnconfirmed: e.RECONCILE_BY_RESUBMIT,
      resumeIntervalMs: e.POLL_RESUME_INTERVAL_MS,
    },
    cluster:
      e.REDIS_URL === undefined
        ? undefined
        : { redisUrl: e.REDIS_URL, pollLeaseMs: e.POLL_LEASE_MS },
    upstream: {
      submitTimeoutMs: e.UPSTREAM_SUBMIT_TIMEOUT_MS,
      statusTimeoutMs: e.UPSTREAM_STATUS_TIMEOUT_MS,
      maxBodyBytes: e.UPSTREAM_MAX_BODY_BYTES,
    },
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    quotas: {
      maxActiveTasks: e.MAX_ACTIVE_TASKS_PER_CLIENT,
      submitsPerMinute: e.RATE_LIMIT_SUBMITS_PER_MINUTE,
    },
    limits: {
      maxRequestBytes: e.MAX_REQUEST_BYTES,
      maxTokens: e.MAX_TOKENS,
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxCost: e.MAX_COST,
      wsMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerClient: e.MAX_SUBSCRIPTIONS_PER_CLIENT,
      wsMaxOperationsInFlight: e.WS_MAX_OPERATIONS_IN_FLIGHT,
      wsMaxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      httpMaxPipelinedRequests: e.HTTP_MAX_PIPELINED_REQUESTS,
      httpSlowReaderTimeoutMs: e.HTTP_SLOW_READER_TIMEOUT_MS,
    },
    metricsEnabled: e.METRICS_ENABLED,
    multipart: { heartbeatMs: e.MULTIPART_HEARTBEAT_MS },
    production: e.NODE_ENV === "production",
    shutdown: shutdownBudget(e.SHUTDOWN_TIMEOUT_MS),
    logLevel: e.LOG_LEVEL,
    simulator: {
      port: e.SIMULATOR_PORT,
      host: e.SIMULATOR_HOST,
      queuedMs: e.SIMULATOR_QUEUED_MS,
      processingMs: e.SIMULATOR_PROCESSING_MS,
      failureRate: e.SIMULATOR_FAILURE_RATE,
      publicUrl: e.SIMULATOR_PUBLIC_URL,
      statePath: e.SIMULATOR_STATE_PATH ?? besideDatabase(e.DATABASE_PATH ?? DEFAULT_DATABASE_PATH),
    },
  };
}

/** What `npm run simulator` runs with: the simulator alone, from its `SIMULATOR_*` variables. */
export interface StandaloneSimulatorConfig {
  port: number;
  host: string;
  /** When set, requests must carry it as their bearer token (`SIMULATOR_API_KEY`). */
  apiKey: string | undefined;
  queuedMs: number;
  processingMs: number;
  failureRate: number;
  publicUrl: string | undefined;
  /** Unset: tasks live in memory only. */
  statePath: string | undefined;
}

const simulatorEnvSchema = z.object({ ...simulatorFields, SIMULATOR_API_KEY: optionalText });

/** Parses the standalone simulator's environment; throws a {@link ConfigError} naming bad variables. */
export function loadSimulatorConfig(
  env: NodeJS.ProcessEnv = process.env,
): StandaloneSimulatorConfig {
  const e = parseEnv(simulatorEnvSchema, env);
  return {
    port: e.SIMULATOR_PORT,
    host: e.SIMULATOR_HOST,
    apiKey: e.SIMULATOR_API_KEY,
    queuedMs: e.SIMULATOR_QUEUED_MS,
    processingMs: e.SIMULATOR_PROCESSING_MS,
    failureRate: e.SIMULATOR_FAILURE_RATE,
    publicUrl: e.SIMULATOR_PUBLIC_URL,
    statePath: e.SIMULATOR_STATE_PATH,
  };
}
