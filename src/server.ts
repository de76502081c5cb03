import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { Authenticator } from "./auth/authenticator";
import type { Config } from "./config";
import { createContextFactory, type GatewayContext } from "./context";
import { createErrorFormatter } from "./errors";
import { costLimitPlugin } from "./limits/cost-limit.plugin";
import { createOperationLimits } from "./limits/operation-limits";
import { createLogger, type Logger } from "./logger";
import { Poller } from "./poller/poller";
import { TaskEvents } from "./pubsub/task-events";
import { buildGatewaySchema } from "./schema";
import { startSimulator, type Simulator } from "./simulator/simulator.server";
import { createServices } from "./services";
import { openDatabase } from "./store/sqlite/database";
import { SqliteIdempotencyStore } from "./store/sqlite/sqlite-idempotency.store";
import { SqliteTaskStore } from "./store/sqlite/sqlite-task.store";
import { createHttpApp } from "./transport/http";
import { attachWebSocketTransport } from "./transport/websocket";
import type { WebSocketStats } from "./transport/ws-backpressure";
import { ApimartClient } from "./upstream/apimart.client";

export interface Gateway {
  /** `http://host:port/graphql` */
  readonly url: string;
  /** `ws://host:port/graphql` */
  readonly wsUrl: string;
  /** The built-in simulator when no APIMART_API_KEY is configured, else null. */
  readonly simulator: Simulator | null;
  readonly poller: Poller;
  /** WebSocket connections, operations in flight on them, and closes at per-connection limits. */
  webSocketStats(): WebSocketStats;
  /** Graceful stop: stop accepting, close sockets with 1001, drain HTTP, finish polls, close the store. */
  stop(): Promise<void>;
}

/** Builds and starts the whole gateway on one HTTP server carrying GraphQL over HTTP and WebSocket. */
export async function createGateway(
  config: Config,
  logger: Logger = createLogger(),
): Promise<Gateway> {
  // The embedded simulator gets a random key, so the client is proven to send one.
  const simulatorKey = randomBytes(24).toString("base64url");
  const simulator = config.apimartApiKey
    ? null
    : await startSimulator({
        apiKey: simulatorKey,
        port: config.simulator.port,
        queuedMs: config.simulator.queuedMs,
        processingMs: config.simulator.processingMs,
        failureRate: config.simulator.failureRate,
      });
  if (simulator) {
    logger.warn(
      { simulatorUrl: simulator.url },
      "no APIMART_API_KEY: using the built-in simulator",
    );
  }
  const authenticator = new Authenticator({
    clientKeys: config.clientKeys,
    jwt: config.jwt && { ...config.jwt, logger },
  });
  if (authenticator.devMode) {
    logger.warn("no GATEWAY_API_KEYS: every request runs as the local 'dev' principal");
  }
  const db = openDatabase(config.databasePath);
  const store = new SqliteTaskStore(db);
  const idempotencyStore = new SqliteIdempotencyStore(db);
  const purgeKeys = () => idempotencyStore.purgeExpired(new Date());
  await purgeKeys();
  const purgeTimer = setInterval(() => {
    purgeKeys().catch((error) => logger.warn({ err: error }, "purging idempotency keys failed"));
  }, 3_600_000).unref();
  const upstream = new ApimartClient({
    baseUrl: simulator?.url ?? config.apimartBaseUrl,
    apiKey: config.apimartApiKey ?? simulatorKey,
    submitTimeoutMs: config.upstream.submitTimeoutMs,
    statusTimeoutMs: config.upstream.statusTimeoutMs,
    logger,
  });
  const events = new TaskEvents();
  const poller = new Poller(store, upstream, events, logger.child({ component: "poller" }), {
    ...config.poller,
    stopGraceMs: 2000,
  });
  const services = createServices(config, {
    store,
    idempotencyStore,
    upstream,
    events,
    poller,
    logger,
  });
  const contextFactory = createContextFactory({ authenticator, store, services });
  const formatError = createErrorFormatter(logger, { hideSuggestions: config.production });
  const schema = await buildGatewaySchema(events);

  const httpServer = http.createServer();
  const limits = createOperationLimits({ ...config.limits, production: config.production });
  const ws = attachWebSocketTransport({
    httpServer,
    schema,
    contextFactory,
    authenticate: (authorization) => authenticator.authenticate(authorization),
    formatError,
    limits,
    logger,
    options: {
      maxPayloadBytes: config.limits.wsMaxPayloadBytes,
      maxSubscriptionsPerConnection: config.limits.maxSubscriptionsPerConnection,
      maxSubscriptionsPerClient: config.limits.maxSubscriptionsPerClient,
      maxOperationsInFlight: config.limits.wsMaxOperationsInFlight,
      maxBufferedBytes: config.limits.wsMaxBufferedBytes,
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    introspection: limits.introspection,
    // Outside production Apollo's own default applies (traces in development, none under test).
    includeStacktraceInErrorResponses: config.production ? false : undefined,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [
      // Shutdown must end within 10 s: HTTP requests get 3 s, then their sockets are cut.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 3000 }),
      { serverWillStart: async () => ({ drainServer: ws.close }) },
      costLimitPlugin<GatewayContext>(limits),
    ],
  });
  await apollo.start();
  httpServer.on(
    "request",
    createHttpApp({
      apollo,
      contextFactory,
      logger,
      options: {
        maxRequestBytes: config.limits.maxRequestBytes,
        maxPipelinedRequests: config.limits.httpMaxPipelinedRequests,
        slowReaderTimeoutMs: config.limits.httpSlowReaderTimeoutMs,
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  await poller.start();
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  logger.info({ url: `http://${host}:${port}/graphql` }, "gateway listening");

  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}/graphql`,
    wsUrl: `ws://${host}:${port}/graphql`,
    simulator,
    poller,
    webSocketStats: ws.stats,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(purgeTimer);
        try {
          await apollo.stop(); // stops accepting, closes WebSockets (1001), drains HTTP
          // Submits still running (e.g. over a closed WebSocket) were written ahead; one cut off
          // here is reconciled after restart.
          await services.generation.drain(1500);
          await poller.stop();
        } finally {
          await store.close();
          await simulator?.close();
        }
      })()),
  };
}
