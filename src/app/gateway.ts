import type { AddressInfo } from "node:net";
import type { Logger } from "../observability/logger";
import type { PollScheduler } from "../ports/poll-scheduler";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { Simulator } from "../simulator/simulator.server";
import type { WebSocketStats } from "../transport/ws-backpressure";
import { composeGateway, type Composition } from "./composition";
import type { Config } from "./config";
import { stopInOrder } from "./stop-in-order";

/** How often idempotency keys past their time to live are deleted. */
const KEY_PURGE_INTERVAL_MS = 3_600_000;

export interface Gateway {
  /** `http://host:port/graphql` */
  readonly url: string;
  /** `ws://host:port/graphql` */
  readonly wsUrl: string;
  /** The built-in simulator when no APIMART_API_KEY is configured, else null. */
  readonly simulator: Simulator | null;
  readonly scheduler: PollScheduler;
  /** WebSocket connections, operations in flight on them, and closes at per-connection limits. */
  webSocketStats(): WebSocketStats;
  /** The task event bus (tests look at its subscribers). */
  readonly events: TaskEventBus;
  /** This process's id among the cluster's instances (in BullMQ, PostgreSQL's session list, events). */
  readonly instanceId: string;
  /** Graceful stop within the shutdown budget: sockets (1001), HTTP, submits, polls, then the store. */
  stop(): Promise<void>;
}

/** Composes the gateway from configuration and starts it. */
export async function createGateway(config: Config, logger: Logger): Promise<Gateway> {
  return startGateway(await composeGateway(config, logger), config, logger);
}

/**
 * The lifecycle: start purging old keys, listen, then poll; stop in the reverse order, each phase
 * within its share of the one shutdown budget (`config.shutdown`). Exported for the lifecycle's own
 * tests; everything else starts a gateway with {@link createGateway}.
 */
export async function startGateway(
  parts: Composition,
  config: Config,
  logger: Logger,
): Promise<Gateway> {
  const { adapters, transports, draining } = parts;
  const purgeKeys = () =>
    adapters.store
      .purgeExpiredKeys(new Date())
      .catch((error) => logger.warn({ err: error }, "purging idempotency keys failed"));
  let purgeTimer: NodeJS.Timeout | undefined;
  try {
    await purgeKeys();
    purgeTimer = setInterval(purgeKeys, KEY_PURGE_INTERVAL_MS).unref();
    await listen(transports.httpServer, config);
    await parts.poller.start();
  } catch (error) {
    clearInterval(purgeTimer);
    // The start's own error is the one to report; a failure to stop is logged.
    await stopParts(parts, config, logger).catch(() => undefined);
    throw error;
  }
  const { port } = transports.httpServer.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url }, "gateway listening");

  let stopping: Promise<void> | null = null;
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    simulator: adapters.simulator,
    scheduler: adapters.scheduler,
    webSocketStats: transports.webSocketStats,
    events: adapters.events,
    instanceId: adapters.instances.selfId,
    stop: () =>
      (stopping ??= (async () => {
        draining.value = true; // /readyz answers 503 from now on
        clearInterval(purgeTimer);
        await stopParts(parts, config, logger);
      })()),
  };
}

/**
 * Stops everything in order, every phase even when an earlier one failed: a store closed under a
 * scheduler still polling, or a poller left running, is worse than a phase that did not finish.
 */
function stopParts(
  { adapters, services, poller, transports }: Composition,
  { shutdown }: Config,
  logger: Logger,
): Promise<void> {
  return stopInOrder(
    [
      // Stops accepting, closes WebSockets (1001) and multipart streams, drains HTTP.
      ["transports", () => transports.apollo.stop()],
      // Submits still running (e.g. over a closed WebSocket) were written ahead; one cut off here
      // is reconciled after restart.
      ["submits", () => services.generation.drain(shutdown.submitsMs)],
      ["polling", () => poller.stop(shutdown.pollsMs)],
      ["events", () => adapters.events.close()],
      ["adapters", () => adapters.close()],
    ],
    logger,
  );
}

function listen(server: import("node:http").Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: config.port, host: config.host, backlog: config.listenBacklog }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
