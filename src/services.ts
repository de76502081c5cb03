import type { Config } from "./config";
import type { Services } from "./context";
import { GenerationService } from "./generation/generation.service";
import { IdempotencyGuard } from "./idempotency/idempotency.guard";
import type { Logger } from "./logger";
import type { Poller } from "./poller/poller";
import type { TaskEvents } from "./pubsub/task-events";
import { ActiveTaskQuota } from "./quotas/active-task.quota";
import { SubmitRateLimiter } from "./quotas/submit-rate.limiter";
import type { IdempotencyStore } from "./idempotency/idempotency.store";
import type { TaskStore } from "./store/task-store";
import { TaskService } from "./tasks/task.service";
import { TaskSubscriptions } from "./tasks/task.subscriptions";
import type { UpstreamClient } from "./upstream/upstream.types";

/** The GraphQL-free services the resolvers call, wired from configuration. */
export function createServices(
  config: Config,
  deps: {
    store: TaskStore;
    idempotencyStore: IdempotencyStore;
    upstream: UpstreamClient;
    events: TaskEvents;
    poller: Poller;
    logger: Logger;
  },
): Services {
  const { store, upstream, events, poller, logger } = deps;
  const idempotency = new IdempotencyGuard(deps.idempotencyStore, store, {
    ttlMs: config.idempotencyTtlMs,
    // A claim outlives any submit by far; older than this, its process must have died mid-submit.
    abandonAfterMs: 2 * config.upstream.submitTimeoutMs + 60_000,
    maxWaitMs: config.upstream.submitTimeoutMs + 5_000,
  });
  return {
    generation: new GenerationService({
      upstream,
      store,
      tracker: poller,
      idempotency,
      rateLimiter: new SubmitRateLimiter(config.quotas.submitsPerMinute),
      quota: new ActiveTaskQuota(store, config.quotas.maxActiveTasks),
      logger,
    }),
    tasks: new TaskService(store),
    subscriptions: new TaskSubscriptions(store, events),
  };
}
