import type { AddressInfo } from "node:net";
import { createErrorFormatter } from "../graphql/error-formatter";
import { createContextFactory } from "../graphql/context";
import { buildGatewaySchema } from "../graphql/schema";
import { createOperationLimits } from "../limits/operation-limits";
import type { Logger } from "../observability/logger";
import type { PollScheduler } from "../ports/poll-scheduler";
import type { Simulator } from "../simulator/simulator.server";
import { createAdapters } from "./adapters";
import type { Config } from "./config";
import { createServices } from "./services";
import { createTransports } from "./transports";

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
  /** This process's id among the cluster's instances (in BullMQ, PostgreSQL's session list, events). */
  readonly instanceId: string;
  /** Graceful stop within the shutdown budget: sockets (1001), HTTP, submits, polls, then the store. */
  stop(): Promise<void>;
}

/** Composes the gateway from configuration and starts it: listening, polling, purging old keys. */
export async function createGateway(config: Config, logger: Logger): Promise<Gateway> {
  const adapters = await createAdapters(config, logger);
  let transports;
  let purgeTimer: NodeJS.Timeout | undefined;
  const { services, poller, authenticator } = createServices(config, adapters, logger);
  try {
    if (authenticator.devMode) {
      logger.warn("no GATEWAY_API_KEYS: every request runs as the local 'dev' principal");
    }
    const limits = createOperationLimits({ ...config.limits, production: config.production });
    transports = await createTransports(config, {
      schema: await buildGatewaySchema(),
      contextFactory: createContextFactory({ authenticator, store: adapters.store, services }),
      authenticate: (authorization) => authenticator.authenticate(authorization),
      formatError: createErrorFormatter(logger, { hideSuggestions: config.production }),
      limits,
      caps: adapters.caps,
      readinessChecks: adapters.readinessChecks,
      logger,
    });
    const purgeKeys = () =>
      adapters.store
        .purgeExpiredKeys(new Date())
        .catch((error) => logger.warn({ err: error }, "purging idempotency keys failed"));
    await purgeKeys();
    purgeTimer = setInterval(purgeKeys, KEY_PURGE_INTERVAL_MS).unref();
    await listen(transports.httpServer, config);
    await poller.start();
  } catch (error) {
    clearInterval(purgeTimer);
    await transports?.apollo.stop();
    await adapters.close();
    throw error;
  }
  const { httpServer, apollo } = transports;
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url }, "gateway listening");

  let stopping: Promise<void> | null = null;
  const { shutdown } = config;
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    simulator: adapters.simulator,
    scheduler: adapters.scheduler,
    instanceId: adapters.instances.selfId,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(purgeTimer);
        try {
          await apollo.stop(); // stops accepting, closes WebSockets (1001), drains HTTP
          // Submits still running (e.g. over a closed WebSocket) were written ahead; one cut off
          // here is reconciled after restart.
          await services.generation.drain(shutdown.submitsMs);
          await poller.stop(shutdown.pollsMs);
        } finally {
          await adapters.events.close();
          await adapters.close();
        }
      })()),
  };
}

function listen(server: import("node:http").Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
