import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { RedisEventBus } from "../events/redis.event-bus";
import type { Logger } from "../observability/logger";
import type { InstanceRegistry } from "../ports/instance-registry";
import type { PollScheduler } from "../ports/poll-scheduler";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { UpstreamClient } from "../ports/upstream-client";
import { submitRateLimiter } from "../rate-limit/flexible.submit-rate-limiter";
import { ClockSecondPollGate } from "../rate-limit/clock-second.poll-gate";
import { BullMqPollScheduler } from "../scheduler/bullmq.poll-scheduler";
import { PostgresSessionInstanceRegistry } from "../store/postgres/postgres-session.instance-registry";
import type { ReadinessCheck } from "../transport/operations";
import type { ClusterConfig, Config, DatabaseConfig } from "./config";
import { createRedisConnections } from "./redis";
import { stopInOrder } from "./stop-in-order";

/** The adapters behind the ports that a cluster's instances share (in memory on one node). */
export interface SharedAdapters {
  events: TaskEventBus;
  scheduler: PollScheduler;
  rateLimiter: SubmitRateLimiter;
  instances: InstanceRegistry;
  /** Redis's, in a cluster. */
  readinessChecks: ReadinessCheck[];
  /** Wraps the upstream client where polls must be counted across instances (a cluster). */
  gatePolls(upstream: UpstreamClient): UpstreamClient;
  close(): Promise<void>;
}

/** Every Redis key and channel of the gateway starts with this. */
const KEY_PREFIX = "video-gateway";
/** How long start-up waits for Redis before it gives up with one line. */
const REDIS_START_TIMEOUT_MS = 10_000;
/**
 * Polls are not sent in the last tenth of a clock second, so that one sent late cannot arrive in the
 * next second on top of that second's full count.
 */
const POLL_ARRIVAL_MARGIN_MS = 100;
/** BullMQ cannot work if Redis may evict its keys. */
const REQUIRED_EVICTION_POLICY = "noeviction";

/**
 * Redis for events, polling and the submit rate limit; PostgreSQL's session list for which instances
 * are alive. Start-up needs both reachable (and Redis set to `noeviction`); afterwards an outage of
 * Redis costs events and polls until it is back, never an accepted task.
 */
export async function createClusterAdapters(
  config: Config,
  cluster: ClusterConfig,
  database: Extract<DatabaseConfig, { kind: "postgres" }>,
  selfId: string,
  logger: Logger,
): Promise<SharedAdapters> {
  const redis = createRedisConnections(cluster.redisUrl, logger.child({ component: "redis" }));
  let instances: PostgresSessionInstanceRegistry | undefined;
  try {
    await redis.ready(REDIS_START_TIMEOUT_MS).catch((error: Error) => {
      throw new Error(`REDIS_URL: cannot reach Redis: ${error.message}`);
    });
    const policy = await redis.evictionPolicy();
    if (policy !== REQUIRED_EVICTION_POLICY) {
      // Refused, not warned: an evicted job or lock would silently stop a task's polling.
      throw new Error(
        `REDIS_URL: Redis evicts keys (maxmemory-policy ${policy}); BullMQ needs maxmemory-policy noeviction`,
      );
    }
    instances = await PostgresSessionInstanceRegistry.open({
      ...database,
      selfId,
      logger: logger.child({ component: "instances" }),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const registry = instances;
  const events = new RedisEventBus(
    redis.publisher,
    redis.subscriber,
    logger.child({ component: "events" }),
    { channelPrefix: `${KEY_PREFIX}:`, instanceId: selfId },
  );
  const scheduler = new BullMqPollScheduler(
    redis,
    {
      prefix: KEY_PREFIX,
      concurrency: config.poller.concurrency,
      ratePerSecond: config.poller.ratePerSecond,
      leaseMs: cluster.pollLeaseMs,
      instanceId: selfId,
    },
    logger.child({ component: "scheduler" }),
  );
  return {
    events,
    scheduler,
    // While Redis is unreachable each instance counts on its own (fail open, per instance): the
    // limit still holds per instance, and submits, which need only PostgreSQL, go on.
    rateLimiter: submitRateLimiter(
      config.quotas.submitsPerMinute,
      (window) =>
        new RateLimiterRedis({
          storeClient: redis.publisher,
          keyPrefix: `${KEY_PREFIX}:submits`,
          ...window,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(window),
        }),
    ),
    instances: registry,
    gatePolls: (upstream) =>
      new ClockSecondPollGate(
        upstream,
        new RateLimiterRedis({
          storeClient: redis.publisher,
          keyPrefix: `${KEY_PREFIX}:polls`,
          points: config.poller.ratePerSecond,
          // Each key is one epoch second; two seconds of life is enough to count it and let it go.
          duration: 2,
        }),
        { ratePerSecond: config.poller.ratePerSecond, arrivalMarginMs: POLL_ARRIVAL_MARGIN_MS },
      ),
    readinessChecks: [
      {
        name: "redis",
        check: async () => {
          const { publisher, subscriber, queue, worker } = redis;
          const down = Object.entries({ publisher, subscriber, queue, worker }).find(
            ([, connection]) => connection.status !== "ready",
          );
          if (down) throw new Error(`the ${down[0]} connection is ${down[1].status}`);
          await redis.publisher.ping();
        },
      },
    ],
    close: () =>
      stopInOrder(
        [
          ["instance registry", () => registry.close()],
          ["redis", () => redis.disconnect()],
        ],
        logger,
      ),
  };
}
