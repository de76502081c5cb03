import { randomBytes, randomUUID } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { InProcessEventBus } from "../events/in-process.event-bus";
import { InProcessSubscriptionCaps } from "../limits/in-process.subscription-caps";
import type { Logger } from "../observability/logger";
import type { InstanceRegistry } from "../ports/instance-registry";
import type { GatewayMetrics } from "../ports/metrics";
import type { PollScheduler } from "../ports/poll-scheduler";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";
import type { SubscriptionCaps } from "../ports/subscription-caps";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { TaskStore } from "../ports/task-store";
import type { UpstreamClient } from "../ports/upstream-client";
import { submitRateLimiter } from "../rate-limit/flexible.submit-rate-limiter";
import { InProcessPollScheduler } from "../scheduler/in-process.poll-scheduler";
import { startSimulator, type Simulator } from "../simulator/simulator.server";
import { PostgresTaskStore } from "../store/postgres/postgres-task.store";
import { describeFailure } from "../store/postgres/postgres-errors";
import { SqliteTaskStore } from "../store/sqlite/sqlite-task.store";
import type { ReadinessCheck } from "../transport/operations";
import { ApimartClient } from "../upstream/apimart.client";
import { createClusterAdapters, type SharedAdapters } from "./cluster-adapters";
import type { Config, DatabaseConfig } from "./config";
import { stopInOrder } from "./stop-in-order";

/** Everything the gateway shares with other processes (or would, in a cluster), chosen from config. */
export interface Adapters {
  store: TaskStore;
  events: TaskEventBus;
  scheduler: PollScheduler;
  rateLimiter: SubmitRateLimiter;
  caps: SubscriptionCaps;
  instances: InstanceRegistry;
  upstream: UpstreamClient;
  /** The built-in simulator when no APIMART_API_KEY is configured, else null. */
  simulator: Simulator | null;
  /** What `/readyz` asks of the adapters: the store, and Redis in a cluster. */
  readinessChecks: ReadinessCheck[];
  /** Closes what the adapters hold open (connections, files, the simulator). */
  close(): Promise<void>;
}

/** The composition root's first half: one adapter per port, picked from configuration. */
export async function createAdapters(
  config: Config,
  logger: Logger,
  metrics: GatewayMetrics,
): Promise<Adapters> {
  // First, so that a database that cannot be used stops start-up before anything else runs.
  const store = await openStore(config.database, logger);
  // The embedded simulator gets a random key, so the client is proven to send one.
  const simulatorKey = randomBytes(24).toString("base64url");
  let simulator: Simulator | null;
  try {
    simulator = config.apimartApiKey
      ? null
      : await startSimulator({
          apiKey: simulatorKey,
          port: config.simulator.port,
          host: config.simulator.host,
          queuedMs: config.simulator.queuedMs,
          processingMs: config.simulator.processingMs,
          failureRate: config.simulator.failureRate,
          publicUrl: config.simulator.publicUrl,
          statePath: config.simulator.statePath,
        });
  } catch (error) {
    await store.close();
    throw error;
  }
  if (simulator) {
    logger.warn(
      { simulatorUrl: simulator.url },
      "no APIMART_API_KEY: using the built-in simulator",
    );
  }
  const selfId = randomUUID();
  let shared: SharedAdapters;
  try {
    shared =
      config.cluster && config.database.kind === "postgres"
        ? await createClusterAdapters(config, config.cluster, config.database, selfId, logger)
        : localAdapters(config, selfId, metrics, logger);
  } catch (error) {
    await store.close();
    await simulator?.close();
    throw error;
  }
  return {
    store,
    events: shared.events,
    scheduler: shared.scheduler,
    rateLimiter: shared.rateLimiter,
    // Per instance in a cluster too: the caps protect an instance's memory, and counting them in
    // Redis would leave a dead instance's subscriptions counted.
    caps: new InProcessSubscriptionCaps({
      perConnection: config.limits.maxSubscriptionsPerConnection,
      perClient: config.limits.maxSubscriptionsPerClient,
    }),
    instances: shared.instances,
    upstream: shared.gatePolls(
      new ApimartClient({
        baseUrl: simulator?.url ?? config.apimartBaseUrl,
        apiKey: config.apimartApiKey ?? simulatorKey,
        submitTimeoutMs: config.upstream.submitTimeoutMs,
        statusTimeoutMs: config.upstream.statusTimeoutMs,
        metrics,
        maxBodyBytes: config.upstream.maxBodyBytes,
        logger,
      }),
    ),
    simulator,
    readinessChecks: [{ name: "store", check: () => store.ping() }, ...shared.readinessChecks],
    close: () =>
      stopInOrder(
        [
          ["shared adapters", () => shared.close()],
          ["store", () => store.close()],
          ["simulator", () => simulator?.close()],
        ],
        logger,
      ),
  };
}

/** One process on its own: events, polling and the rate limit in memory. */
function localAdapters(
  config: Config,
  selfId: string,
  metrics: GatewayMetrics,
  logger: Logger,
): SharedAdapters {
  return {
    events: new InProcessEventBus(),
    scheduler: new InProcessPollScheduler(
      {
        concurrency: config.poller.concurrency,
        ratePerSecond: config.poller.ratePerSecond,
        metrics,
      },
      logger.child({ component: "scheduler" }),
    ),
    rateLimiter: submitRateLimiter(
      config.quotas.submitsPerMinute,
      (window) => new RateLimiterMemory(window),
    ),
    // Without a cluster registry one process owns the store: any other instance id is an earlier,
    // dead run of it.
    instances: { selfId, isAlive: async (id) => id === selfId },
    readinessChecks: [],
    // The in-process pacer hands a poll out just before it is sent, from one process.
    gatePolls: (upstream) => upstream,
    close: async () => undefined,
  };
}

/**
 * The configured store, migrated. A failure at start becomes one line naming the variable to fix:
 * `DATABASE_PATH` and why (a folder that cannot be created, "unable to open database file", "file is
 * not a database", "attempt to write a readonly database"), or `DATABASE_URL` (never its value,
 * which may hold a password).
 */
async function openStore(database: DatabaseConfig, logger: Logger): Promise<TaskStore> {
  if (database.kind === "sqlite") {
    try {
      return new SqliteTaskStore(database.path);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
      throw new Error(`DATABASE_PATH=${database.path} cannot be used: ${reason}`, { cause: error });
    }
  }
  try {
    return await PostgresTaskStore.open({
      ...database,
      logger: logger.child({ component: "store" }),
    });
  } catch (error) {
    throw new Error(
      `DATABASE_URL: cannot open the PostgreSQL store: ${describeFailure(error, database.url)}`,
    );
  }
}
