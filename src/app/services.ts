import { Authenticator } from "../auth/authenticator";
import { GenerationService } from "../generation/generation.service";
import type { Services } from "../graphql/context";
import { IdempotencyGuard } from "../idempotency/idempotency.guard";
import type { Logger } from "../observability/logger";
import type { GatewayMetrics } from "../ports/metrics";
import { Poller } from "../poller/poller";
import { TaskService } from "../tasks/task.service";
import { TaskSubscriptions } from "../tasks/task.subscriptions";
import type { Adapters } from "./adapters";
import type { Config } from "./config";

/** How often a replay waiting for a submit in flight on another instance looks at the store again. */
const REPLAY_POLL_MS = 100;

/**
 * The composition root's second half: the services (no schema, types or resolvers; their errors are
 * the catalogue's GraphQLError subclasses), wired to the adapters.
 */
export function createServices(
  config: Config,
  adapters: Adapters,
  metrics: GatewayMetrics,
  logger: Logger,
) {
  const { store, events, scheduler, upstream } = adapters;
  const poller = new Poller(
    store,
    upstream,
    events,
    scheduler,
    logger.child({ component: "poller" }),
    { ...config.poller, metrics },
  );
  const idempotency = new IdempotencyGuard(
    store,
    adapters.instances,
    {
      ttlMs: config.idempotencyTtlMs,
      // Past the submit's own timeout (and a margin for the store), its outcome is settled.
      submitWindowMs: config.upstream.submitTimeoutMs + 5_000,
      pollMs: REPLAY_POLL_MS,
    },
    (task) => poller.track(task),
    logger.child({ component: "idempotency" }),
  );
  const services: Services = {
    generation: new GenerationService({
      upstream,
      store,
      tracker: poller,
      idempotency,
      rateLimiter: adapters.rateLimiter,
      maxActiveTasks: config.quotas.maxActiveTasks,
      metrics,
      logger,
    }),
    tasks: new TaskService(store),
    subscriptions: new TaskSubscriptions(store, events),
  };
  const authenticator = new Authenticator({
    clientKeys: config.clientKeys,
    jwt: config.jwt && { ...config.jwt, logger },
  });
  return { services, poller, authenticator };
}
