import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import type { createErrorFormatter } from "../graphql/error-formatter";
import { costLimitPlugin } from "../limits/cost-limit.plugin";
import type { OperationLimits } from "../limits/operation-limits";
import type { Logger } from "../observability/logger";
import type { SubscriptionCaps } from "../ports/subscription-caps";
import type { GatewayMetrics } from "../ports/metrics";
import { createHttpHandler } from "../transport/http";
import { httpSubscriptionRefusalPlugin } from "../transport/http-subscription-refusal.plugin";
import { createMultipartSubscriptions } from "../transport/multipart-subscriptions";
import { operationsRoutes, type ReadinessCheck } from "../transport/operations";
import { attachWebSocketTransport } from "../transport/websocket";
import type { Config } from "./config";
import { findWebPage } from "./web-page";

/** graphql-ws's documented defaults, kept explicit: init within 5 s, a ping every 12 s. */
const WS_CONNECTION_INIT_TIMEOUT_MS = 5000;
const WS_KEEP_ALIVE_MS = 12_000;
/** A socket closed at a per-connection limit has this long to read the close frame before it is cut. */
const WS_LIMIT_CLOSE_GRACE_MS = 2000;
/** A readiness check slower than this fails: probes typically time out after 1 to 5 s. */
const READINESS_TIMEOUT_MS = 2000;

/**
 * One HTTP server carrying GraphQL over HTTP (Apollo on Express, multipart subscriptions beside it)
 * and WebSocket (graphql-ws), all with the same context factory, error formatter, limits and caps.
 * Not listening yet.
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
    metrics: GatewayMetrics;
    /** What `/readyz` asks, in order. */
    readinessChecks: readonly ReadinessCheck[];
    /** Serves `/metrics` when set. */
    scrapeMetrics: (() => Promise<{ contentType: string; body: string }>) | null;
    logger: Logger;
  },
) {
  const httpServer = http.createServer();
  const multipart = createMultipartSubscriptions({
    ...deps,
    options: { heartbeatMs: config.multipart.heartbeatMs },
  });
  const ws = attachWebSocketTransport({
    httpServer,
    ...deps,
    options: {
      maxPayloadBytes: config.limits.wsMaxPayloadBytes,
      connectionInitWaitTimeoutMs: WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: WS_KEEP_ALIVE_MS,
      maxOperationsInFlight: config.limits.wsMaxOperationsInFlight,
      maxBufferedBytes: config.limits.wsMaxBufferedBytes,
      terminateGraceMs: WS_LIMIT_CLOSE_GRACE_MS,
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: deps.schema,
    formatError: deps.formatError,
    allowBatchedHttpRequests: false,
    // The gateway's lifecycle owns SIGTERM/SIGINT (main.ts). Apollo's own handler (on outside
    // NODE_ENV=test) stopped it in parallel and then re-raised the signal: exit 143, last logs lost.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    introspection: deps.limits.introspection,
    // Outside production Apollo's own default applies (traces in development, none under test).
    includeStacktraceInErrorResponses: config.production ? false : undefined,
    parseOptions: deps.limits.parseOptions,
    validationRules: deps.limits.validationRules,
    plugins: [
      // On stop: WebSockets (1001, then cut) and multipart streams (a SHUTTING_DOWN part) first,
      // then HTTP requests get their share, then cut.
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await Promise.all([
              ws.close(config.shutdown.webSocketsMs),
              multipart.close(config.shutdown.webSocketsMs),
            ]);
          },
        }),
      },
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: config.shutdown.httpDrainMs,
      }),
      // No field has a cache hint and every answer is one principal's, never cacheable; Apollo's
      // default cache-control plugin would still observe every resolved field of every answer.
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin<GatewayContext>(deps.limits),
      httpSubscriptionRefusalPlugin<GatewayContext>(),
    ],
  });
  await apollo.start();
  const webPageRoot = findWebPage();
  if (webPageRoot === null)
    deps.logger.warn("the demo page is not built (npm run build): / answers 503");
  httpServer.on(
    "request",
    createHttpHandler({
      apollo,
      contextFactory: deps.contextFactory,
      logger: deps.logger,
      multipartSubscriptions: multipart.handler,
      operations: operationsRoutes({
        checks: deps.readinessChecks,
        scrapeMetrics: deps.scrapeMetrics,
        options: { readinessTimeoutMs: READINESS_TIMEOUT_MS },
      }),
      options: {
        maxRequestBytes: config.limits.maxRequestBytes,
        maxPipelinedRequests: config.limits.httpMaxPipelinedRequests,
        slowReaderTimeoutMs: config.limits.httpSlowReaderTimeoutMs,
        corsOrigins: config.corsOrigins,
      },
      webPage: { root: webPageRoot },
    }),
  );
  return { httpServer, apollo, webSocketStats: ws.stats };
}
