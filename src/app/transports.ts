import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import type { createErrorFormatter } from "../graphql/error-formatter";
import { costLimitPlugin } from "../limits/cost-limit.plugin";
import type { OperationLimits } from "../limits/operation-limits";
import type { Logger } from "../observability/logger";
import type { SubscriptionCaps } from "../ports/subscription-caps";
import { createHttpApp, type ReadinessCheck } from "../transport/http";
import { attachWebSocketTransport } from "../transport/websocket";
import type { Config } from "./config";

/** graphql-ws's documented defaults, kept explicit: init within 5 s, a ping every 12 s. */
const WS_CONNECTION_INIT_TIMEOUT_MS = 5000;
const WS_KEEP_ALIVE_MS = 12_000;

/**
 * One HTTP server carrying GraphQL over HTTP (Apollo on Express) and WebSocket (graphql-ws), both
 * with the same context factory, error formatter and limits. Not listening yet.
 */
export async function createTransports(
  config: Config,
  deps: {
    schema: GraphQLSchema;
    contextFactory: ContextFactory;
    authenticate: (authorization: string | undefined) => Promise<unknown>;
    formatError: ReturnType<typeof createErrorFormatter>;
    limits: OperationLimits;
    caps: SubscriptionCaps;
    /** What `/readyz` asks. */
    readinessChecks: readonly ReadinessCheck[];
    logger: Logger;
  },
) {
  const httpServer = http.createServer();
  const ws = attachWebSocketTransport({
    httpServer,
    ...deps,
    options: {
      maxPayloadBytes: config.limits.wsMaxPayloadBytes,
      connectionInitWaitTimeoutMs: WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: WS_KEEP_ALIVE_MS,
      production: config.production,
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: deps.schema,
    formatError: deps.formatError,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    introspection: deps.limits.introspection,
    // Outside production Apollo's own default applies (traces in development, none under test).
    includeStacktraceInErrorResponses: config.production ? false : undefined,
    parseOptions: deps.limits.parseOptions,
    validationRules: deps.limits.validationRules,
    plugins: [
      // On stop: WebSockets first (1001, then cut), then HTTP requests get their share, then cut.
      {
        serverWillStart: async () => ({
          drainServer: () => ws.close(config.shutdown.webSocketsMs),
        }),
      },
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: config.shutdown.httpDrainMs,
      }),
      costLimitPlugin<GatewayContext>(deps.limits),
    ],
  });
  await apollo.start();
  httpServer.on(
    "request",
    createHttpApp({
      apollo,
      contextFactory: deps.contextFactory,
      readinessChecks: deps.readinessChecks,
      options: { maxRequestBytes: config.limits.maxRequestBytes },
    }),
  );
  return { httpServer, apollo };
}
