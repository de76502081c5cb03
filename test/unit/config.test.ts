import { loadConfig } from "../../src/app/config";
import { ConfigError } from "../../src/app/env.schema";

const SECRET = "s3cr3t-0123456789-abcdef";

/** The ConfigError `loadConfig` throws for `env`; fails the test when it does not throw one. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(Object.keys(env))}) to throw`);
}

describe("loadConfig defaults", () => {
  it("runs single-node against the simulator with no variables set", () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: "127.0.0.1",
      listenBacklog: 4096,
      apimartApiKey: undefined,
      apimartBaseUrl: "https://api.apimart.ai",
      clientKeys: [],
      database: { kind: "sqlite", path: "./data/gateway.db" },
      poller: {
        intervalMs: 2000,
        maxIntervalMs: 15_000,
        concurrency: 16,
        ratePerSecond: 20,
        taskDeadlineMs: 2 * 3_600_000,
      },
      upstream: { submitTimeoutMs: 30_000, statusTimeoutMs: 10_000 },
      simulator: { queuedMs: 2000, processingMs: 18_000, failureRate: 0 },
    });
  });

  it("gives up on a task the upstream denies knowing after 10 minutes, or UPSTREAM_LOST_AFTER_MS", () => {
    expect(loadConfig({}).poller.upstreamLostAfterMs).toBe(600_000);
    expect(loadConfig({ UPSTREAM_LOST_AFTER_MS: "0" }).poller.upstreamLostAfterMs).toBe(0);
    expect(configError({ UPSTREAM_LOST_AFTER_MS: "-1" }).message).toContain(
      "UPSTREAM_LOST_AFTER_MS",
    );
  });

  it("refuses private frame URLs unless ALLOW_PRIVATE_FRAME_URLS is true", () => {
    expect(loadConfig({}).allowPrivateFrameUrls).toBe(false);
    expect(loadConfig({ ALLOW_PRIVATE_FRAME_URLS: "true" }).allowPrivateFrameUrls).toBe(true);
    expect(configError({ ALLOW_PRIVATE_FRAME_URLS: "yes" }).message).toContain(
      "ALLOW_PRIVATE_FRAME_URLS",
    );
  });

  it("treats blank APIMART_API_KEY, GATEWAY_API_KEYS and REDIS_URL as unset", () => {
    const config = loadConfig({ APIMART_API_KEY: "  ", GATEWAY_API_KEYS: "", REDIS_URL: " " });
    expect(config.apimartApiKey).toBeUndefined();
    expect(config.clientKeys).toEqual([]);
  });
});

describe("loadConfig parses each variable", () => {
  it("reads PORT and HOST", () => {
    const config = loadConfig({ PORT: "8080", HOST: "0.0.0.0" });
    expect(config.port).toBe(8080);
    expect(config.host).toBe("0.0.0.0");
  });

  it("accepts PORT 0 (any free port) and 65535", () => {
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65535);
  });

  it("reads APIMART_API_KEY trimmed, together with GATEWAY_API_KEYS", () => {
    const config = loadConfig({
      APIMART_API_KEY: " sk-live-1 ",
      GATEWAY_API_KEYS: `web:${SECRET}`,
    });
    expect(config.apimartApiKey).toBe("sk-live-1");
  });

  it("reads APIMART_BASE_URL and drops trailing slashes", () => {
    expect(loadConfig({ APIMART_BASE_URL: "http://127.0.0.1:9999//" }).apimartBaseUrl).toBe(
      "http://127.0.0.1:9999",
    );
    expect(loadConfig({ APIMART_BASE_URL: "https://proxy.example/apimart" }).apimartBaseUrl).toBe(
      "https://proxy.example/apimart",
    );
  });

  it("reads GATEWAY_API_KEYS as name:secret pairs, trimming around names and secrets", () => {
    const config = loadConfig({
      GATEWAY_API_KEYS: ` web-app : ${SECRET} ,ios_1.b:${SECRET}:with-colon`,
    });
    expect(config.clientKeys).toEqual([
      { name: "web-app", secret: SECRET },
      { name: "ios_1.b", secret: `${SECRET}:with-colon` },
    ]);
  });

  it("reads DATABASE_PATH", () => {
    expect(loadConfig({ DATABASE_PATH: "/var/lib/gw/tasks.db" }).database).toEqual({
      kind: "sqlite",
      path: "/var/lib/gw/tasks.db",
    });
  });

  it("selects PostgreSQL with DATABASE_URL (postgres:// or postgresql://), with pool and timeouts", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://gw:pw@db.internal/gateway" }).database).toEqual({
      kind: "postgres",
      url: "postgres://gw:pw@db.internal/gateway",
      poolSize: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 5000,
    });
    const tuned = loadConfig({
      DATABASE_URL: "postgresql://gw@db.internal:6432/gateway?sslmode=require",
      DATABASE_POOL_SIZE: "25",
      DATABASE_CONNECT_TIMEOUT_MS: "2000",
      DATABASE_STATEMENT_TIMEOUT_MS: "1500",
    });
    expect(tuned.database).toMatchObject({
      kind: "postgres",
      poolSize: 25,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 1500,
    });
  });

  it("treats a blank DATABASE_URL as unset: SQLite, the embedded default", () => {
    expect(loadConfig({ DATABASE_URL: " " }).database.kind).toBe("sqlite");
  });

  it("reads the poller settings", () => {
    const config = loadConfig({
      POLL_INTERVAL_MS: "100",
      POLL_MAX_INTERVAL_MS: "900",
      POLL_CONCURRENCY: "4",
      POLL_RATE_PER_SECOND: "7",
      TASK_DEADLINE_MS: "60000",
    });
    expect(config.poller).toMatchObject({
      intervalMs: 100,
      maxIntervalMs: 900,
      concurrency: 4,
      ratePerSecond: 7,
      taskDeadlineMs: 60_000,
    });
  });

  it("accepts POLL_MAX_INTERVAL_MS equal to POLL_INTERVAL_MS", () => {
    const config = loadConfig({ POLL_INTERVAL_MS: "500", POLL_MAX_INTERVAL_MS: "500" });
    expect(config.poller.maxIntervalMs).toBe(500);
  });

  it("reads the upstream timeouts and body limit", () => {
    const config = loadConfig({
      UPSTREAM_SUBMIT_TIMEOUT_MS: "1500",
      UPSTREAM_STATUS_TIMEOUT_MS: "700",
      UPSTREAM_MAX_BODY_BYTES: "4096",
    });
    expect(config.upstream).toEqual({
      submitTimeoutMs: 1500,
      statusTimeoutMs: 700,
      maxBodyBytes: 4096,
    });
  });

  it("reads at most 1 MiB of an upstream answer by default, and at least 1 KiB", () => {
    expect(loadConfig({}).upstream.maxBodyBytes).toBe(1024 * 1024);
    expect(() => loadConfig({ UPSTREAM_MAX_BODY_BYTES: "100" })).toThrow(/UPSTREAM_MAX_BODY_BYTES/);
  });

  it("reads the simulator settings, with a fractional failure rate", () => {
    const config = loadConfig({
      SIMULATOR_QUEUED_MS: "0",
      SIMULATOR_PROCESSING_MS: "250",
      SIMULATOR_FAILURE_RATE: "0.25",
      SIMULATOR_PORT: "4011",
    });
    expect(config.simulator).toEqual({
      port: 4011,
      host: "127.0.0.1",
      queuedMs: 0,
      processingMs: 250,
      failureRate: 0.25,
      publicUrl: undefined,
      statePath: "data/simulator-state.jsonl",
    });
  });

  it("keeps the simulator's state next to the database unless SIMULATOR_STATE_PATH says otherwise", () => {
    const nextTo = (env: Record<string, string>) => loadConfig(env).simulator.statePath;
    expect(nextTo({ DATABASE_PATH: "/var/lib/gw/gateway.db" })).toBe(
      "/var/lib/gw/simulator-state.jsonl",
    );
    expect(nextTo({ DATABASE_PATH: ":memory:" })).toBeUndefined();
    expect(nextTo({ SIMULATOR_STATE_PATH: "/tmp/sim.jsonl" })).toBe("/tmp/sim.jsonl");
  });

  it("reads SIMULATOR_PUBLIC_URL without a trailing slash, and refuses one that is not http(s)", () => {
    const config = loadConfig({
      SIMULATOR_HOST: "0.0.0.0",
      SIMULATOR_PUBLIC_URL: "http://192.168.1.20:4010/",
    });
    expect(config.simulator).toMatchObject({
      host: "0.0.0.0",
      publicUrl: "http://192.168.1.20:4010",
    });
    expect(() => loadConfig({ SIMULATOR_PUBLIC_URL: "192.168.1.20:4010" })).toThrow(
      /SIMULATOR_PUBLIC_URL/,
    );
  });

  it("reads the WebSocket per-connection bounds, 100 operations and 1 MiB by default", () => {
    expect(loadConfig({}).limits).toMatchObject({
      wsMaxOperationsInFlight: 100,
      wsMaxBufferedBytes: 1_048_576,
    });
    const config = loadConfig({
      WS_MAX_OPERATIONS_IN_FLIGHT: "51",
      WS_MAX_BUFFERED_BYTES: "65536",
    });
    expect(config.limits).toMatchObject({
      wsMaxOperationsInFlight: 51,
      wsMaxBufferedBytes: 65_536,
    });
  });

  it("reads the HTTP per-connection bounds, 10 pipelined requests and 30 s by default", () => {
    expect(loadConfig({}).limits).toMatchObject({
      httpMaxPipelinedRequests: 10,
      httpSlowReaderTimeoutMs: 30_000,
    });
    const config = loadConfig({
      HTTP_MAX_PIPELINED_REQUESTS: "1",
      HTTP_SLOW_READER_TIMEOUT_MS: "5000",
    });
    expect(config.limits).toMatchObject({
      httpMaxPipelinedRequests: 1,
      httpSlowReaderTimeoutMs: 5000,
    });
  });

  it("treats a blank PORT as unset rather than as port 0 (any free port)", () => {
    expect(loadConfig({ PORT: "" }).port).toBe(4000);
  });
});

describe("loadConfig refuses a bad value with one line naming the variable", () => {
  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "80.5" }],
    ["HOST", { HOST: "" }],
    ["DATABASE_PATH", { DATABASE_PATH: "" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://db/gateway" }],
    ["DATABASE_POOL_SIZE", { DATABASE_URL: "postgres://db/g", DATABASE_POOL_SIZE: "0" }],
    ["DATABASE_STATEMENT_TIMEOUT_MS", { DATABASE_STATEMENT_TIMEOUT_MS: "10" }],
    ["DATABASE_URL/DATABASE_PATH", { DATABASE_URL: "postgres://db/g", DATABASE_PATH: "x.db" }],
    ["POLL_INTERVAL_MS", { POLL_INTERVAL_MS: "5" }],
    ["POLL_CONCURRENCY", { POLL_CONCURRENCY: "0" }],
    ["POLL_RATE_PER_SECOND", { POLL_RATE_PER_SECOND: "fast" }],
    ["TASK_DEADLINE_MS", { TASK_DEADLINE_MS: "999" }],
    ["UPSTREAM_STATUS_TIMEOUT_MS", { UPSTREAM_STATUS_TIMEOUT_MS: "99" }],
    ["SIMULATOR_FAILURE_RATE", { SIMULATOR_FAILURE_RATE: "2" }],
    ["APIMART_BASE_URL", { APIMART_BASE_URL: "ftp://x" }],
    ["APIMART_BASE_URL", { APIMART_BASE_URL: "not a url" }],
    ["POLL_MAX_INTERVAL_MS", { POLL_INTERVAL_MS: "5000", POLL_MAX_INTERVAL_MS: "1000" }],
    ["WS_MAX_BUFFERED_BYTES", { WS_MAX_BUFFERED_BYTES: "1000" }],
    ["HTTP_MAX_PIPELINED_REQUESTS", { HTTP_MAX_PIPELINED_REQUESTS: "0" }],
    ["HTTP_SLOW_READER_TIMEOUT_MS", { HTTP_SLOW_READER_TIMEOUT_MS: "10" }],
    // Live subscriptions count as operations in flight: a client at its cap must still be able to query.
    ["WS_MAX_OPERATIONS_IN_FLIGHT", { WS_MAX_OPERATIONS_IN_FLIGHT: "50" }],
  ])("%s in %j", (variable, env) => {
    const error = configError(env);
    expect(error.message).not.toContain("\n");
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable}: `));
  });

  it("shows the offending value of a non-secret variable", () => {
    expect(configError({ PORT: "abc" }).message).toContain('(got "abc")');
  });

  it("says an ftp:// base URL must be http(s)", () => {
    expect(configError({ APIMART_BASE_URL: "ftp://x" }).message).toContain(
      "APIMART_BASE_URL: must be an http(s) URL",
    );
  });

  it("lists every bad variable on the same single line", () => {
    const { message } = configError({ PORT: "abc", POLL_INTERVAL_MS: "5" });
    expect(message).not.toContain("\n");
    expect(message).toContain("PORT: ");
    expect(message).toContain("; POLL_INTERVAL_MS: ");
  });
});

describe("loadConfig and GATEWAY_API_KEYS", () => {
  it("refuses an entry whose name has characters other than letters, digits, _ . -", () => {
    const { message } = configError({ GATEWAY_API_KEYS: `web app:${SECRET}` });
    expect(message).toBe(
      "Invalid configuration: GATEWAY_API_KEYS: entry 1: expected name:secret with a name of letters, digits, _ . -",
    );
  });

  it("refuses an entry with an empty name", () => {
    expect(configError({ GATEWAY_API_KEYS: `:${SECRET}` }).message).toContain(
      "GATEWAY_API_KEYS: entry 1: expected name:secret",
    );
  });

  it("refuses a secret shorter than 16 characters, naming the entry by position and name", () => {
    const { message } = configError({
      GATEWAY_API_KEYS: `web:${SECRET},ios:0123456789abcde`,
    });
    expect(message).toBe(
      "Invalid configuration: GATEWAY_API_KEYS: entry 2 (ios): the secret must be at least 16 characters",
    );
    expect(message).not.toContain("0123456789abcde");
  });

  it("refuses two entries with the same name", () => {
    const { message } = configError({ GATEWAY_API_KEYS: `web:${SECRET},web:${SECRET}-2` });
    expect(message).toBe("Invalid configuration: GATEWAY_API_KEYS: names must be unique");
  });

  it("never echoes the value, even next to another bad variable", () => {
    const { message } = configError({
      PORT: "abc",
      GATEWAY_API_KEYS: `web:${SECRET},web:${SECRET}`,
    });
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('got "web');
  });

  it("refuses an entry without a colon as malformed, without echoing it", () => {
    const lonelySecret = "0123456789abcdefSECRETPART";
    const { message } = configError({ GATEWAY_API_KEYS: lonelySecret });
    expect(message).toContain("GATEWAY_API_KEYS: entry 1: expected name:secret");
    expect(message).not.toContain("0123456789abcdef");
  });

  it("is required when APIMART_API_KEY is set, so strangers cannot spend the balance", () => {
    const { message } = configError({ APIMART_API_KEY: "sk-live-secret-key" });
    expect(message).toMatch(
      /^Invalid configuration: GATEWAY_API_KEYS: required when APIMART_API_KEY/,
    );
    expect(message).not.toContain("\n");
    expect(message).not.toContain("sk-live-secret-key");
  });
});

describe("loadConfig and REDIS_URL", () => {
  const CLUSTER = {
    REDIS_URL: "redis://:password@cache:6379/0",
    DATABASE_URL: "postgres://gw:secret@db:5432/gateway",
    APIMART_API_KEY: "sk-live-secret-key",
    GATEWAY_API_KEYS: "web:0123456789abcdef0123",
  };

  it("with PostgreSQL and a real upstream, runs in cluster mode with a lease of 10 s by default", () => {
    const config = loadConfig(CLUSTER);
    expect(config.cluster).toEqual({ redisUrl: CLUSTER.REDIS_URL, pollLeaseMs: 10_000 });
    expect(config.poller.resumeIntervalMs).toBe(30_000);
    expect(loadConfig({}).cluster).toBeUndefined();
  });

  it("with SQLite, refuses to start in one line saying PostgreSQL is needed", () => {
    const { message } = configError({ ...CLUSTER, DATABASE_URL: "" });
    expect(message).toBe(
      "Invalid configuration: REDIS_URL: cluster mode needs PostgreSQL: set DATABASE_URL too (a SQLite file belongs to one process)",
    );
    expect(message).not.toContain("password");
  });

  it("without APIMART_API_KEY, refuses: each instance's built-in simulator is a different upstream", () => {
    const { message } = configError({ ...CLUSTER, APIMART_API_KEY: "", GATEWAY_API_KEYS: "" });
    expect(message).toMatch(
      /^Invalid configuration: REDIS_URL: every instance must poll the same upstream/,
    );
    expect(message).not.toContain("\n");
  });

  it("refuses a URL of another scheme, saying which schemes it takes", () => {
    expect(configError({ REDIS_URL: "http://cache:6379" }).message).toMatch(
      /^Invalid configuration: REDIS_URL: must start with redis:\/\/ or rediss:\/\//,
    );
  });

  it("does not echo a refused URL, which may carry the Redis password", () => {
    const { message } = configError({ REDIS_URL: "http://:hunter2-redis-pass@cache:6379" });
    expect(message).toContain("REDIS_URL: ");
    expect(message).not.toContain("hunter2-redis-pass");
  });
});

describe("loadConfig and the operations settings", () => {
  it("defaults to any CORS origin, /metrics served, a 5 s multipart heartbeat", () => {
    expect(loadConfig({})).toMatchObject({
      corsOrigins: "*",
      metricsEnabled: true,
      multipart: { heartbeatMs: 5000 },
    });
  });

  it("reads CORS_ORIGINS as a trimmed list of origins", () => {
    expect(
      loadConfig({ CORS_ORIGINS: "https://app.example.com, http://localhost:5173" }).corsOrigins,
    ).toEqual(["https://app.example.com", "http://localhost:5173"]);
  });

  it.each([
    ["a path", "https://app.example.com/app"],
    ["a trailing slash", "https://app.example.com/"],
    ["no scheme", "app.example.com"],
    ["another scheme", "ftp://app.example.com"],
    ["* inside a list", "https://app.example.com,*"],
  ])("refuses a CORS_ORIGINS entry with %s", (_what, value) => {
    expect(configError({ CORS_ORIGINS: value }).message).toMatch(
      /^Invalid configuration: CORS_ORIGINS: entry \d: expected an origin/,
    );
  });

  it("reads METRICS_ENABLED=false and refuses anything but true or false", () => {
    expect(loadConfig({ METRICS_ENABLED: "false" }).metricsEnabled).toBe(false);
    expect(configError({ METRICS_ENABLED: "no" }).message).toMatch(
      /^Invalid configuration: METRICS_ENABLED: /,
    );
  });
});
