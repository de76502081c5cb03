import type { ClientKey } from "../auth/client-key.authenticator";
import {
  besideDatabase,
  ConfigError,
  DEFAULT_DATABASE_PATH,
  envSchema,
  parseEnv,
} from "./env.schema";
import { shutdownBudget, type ShutdownBudget } from "./shutdown-budget";

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
    listenBacklog: e.LISTEN_BACKLOG,
    host: e.HOST,
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
