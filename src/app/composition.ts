import { createContextFactory } from "../graphql/context";
import { createErrorFormatter } from "../graphql/error-formatter";
import { buildGatewaySchema } from "../graphql/schema";
import { createOperationLimits } from "../limits/operation-limits";
import type { Logger } from "../observability/logger";
import { createPrometheusMetrics } from "../observability/prometheus.metrics";
import { NO_METRICS } from "../ports/metrics";
import { createAdapters, type Adapters } from "./adapters";
import type { Config } from "./config";
import { createServices } from "./services";
import { createTransports } from "./transports";

/** Everything the gateway is made of, wired but not started: nothing listens and nothing polls yet. */
export interface Composition {
  adapters: Adapters;
  services: ReturnType<typeof createServices>["services"];
  poller: ReturnType<typeof createServices>["poller"];
  transports: Awaited<ReturnType<typeof createTransports>>;
  /** Set when a graceful stop begins; `/readyz` then answers 503. */
  draining: { value: boolean };
}

/**
 * The composition root: metrics, then one adapter per port (from configuration), the services over
 * them, and the transports over the services. If a later step fails, what earlier ones opened is
 * closed again.
 */
export async function composeGateway(config: Config, logger: Logger): Promise<Composition> {
  // Scrapes start once the gateway listens, after the adapters exist.
  const prometheus = config.metricsEnabled
    ? createPrometheusMetrics({ tasksPolled: () => adapters.scheduler.scheduled() })
    : null;
  const metrics = prometheus ?? NO_METRICS;
  const adapters = await createAdapters(config, logger, metrics);
  const draining = { value: false };
  try {
    const { services, poller, authenticator } = createServices(config, adapters, metrics, logger);
    if (authenticator.devMode) {
      logger.warn("no GATEWAY_API_KEYS: every request runs as the local 'dev' principal");
    }
    const transports = await createTransports(config, {
      schema: await buildGatewaySchema({
        metrics,
        framePolicy: { allowPrivate: config.allowPrivateFrameUrls },
      }),
      contextFactory: createContextFactory({ authenticator, store: adapters.store, services }),
      authenticate: (authorization) => authenticator.authenticate(authorization),
      formatError: createErrorFormatter(logger, { hideSuggestions: config.production }),
      limits: createOperationLimits({ ...config.limits, production: config.production }),
      caps: adapters.caps,
      metrics,
      readinessChecks: [
        ...adapters.readinessChecks,
        {
          name: "not_draining",
          check: () => {
            if (draining.value) throw new Error("the gateway is shutting down");
          },
        },
      ],
      scrapeMetrics: prometheus && prometheus.scrape,
      logger,
    });
    return { adapters, services, poller, transports, draining };
  } catch (error) {
    await adapters.close();
    throw error;
  }
}
