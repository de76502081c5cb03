import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { GatewayMetrics } from "../ports/metrics";

/** The gateway's metrics on their own prom-client registry, and the text a scrape gets. */
export interface PrometheusMetrics extends GatewayMetrics {
  /** The Prometheus text exposition of every metric, with its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface PrometheusMetricsOptions {
  /** Read at each scrape: tasks scheduled for polling or being polled on this instance. */
  tasksPolled: () => Promise<number>;
}

const PREFIX = "video_gateway_";

/**
 * Node's default process metrics plus the gateway's own `video_gateway_*`, on a registry of its own
 * (no prom-client global), so two gateways in one process (the tests) never share a count.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const submits = new Counter({
    name: `${PREFIX}submits_total`,
    help: "Submits by outcome (accepted, replayed, refused, outcome_unknown, failed) and refusal reason",
    labelNames: ["outcome", "reason"] as const,
    registers,
  });
  const taskTransitions = new Counter({
    name: `${PREFIX}task_transitions_total`,
    help: "Tasks entering each status: QUEUED when a submit is accepted, the others when a change is stored",
    labelNames: ["status"] as const,
    registers,
  });
  new Gauge({
    name: `${PREFIX}tasks_polled`,
    help: "Tasks scheduled for polling or being polled on this instance",
    registers,
    async collect() {
      this.set(await options.tasksPolled());
    },
  });
  const upstreamRequests = new Counter({
    name: `${PREFIX}upstream_requests_total`,
    help: "Upstream requests by endpoint, HTTP status (none when no answer) and outcome (ok or the failure kind)",
    labelNames: ["endpoint", "status", "outcome"] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: "Upstream request latency, reading the answer included",
    labelNames: ["endpoint", "outcome"] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const pollLag = new Histogram({
    name: `${PREFIX}poll_lag_seconds`,
    help: "How late a poll started after it was due (poll rate, concurrency, a busy event loop)",
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const webSockets = new Gauge({
    name: `${PREFIX}websocket_connections`,
    help: "Open WebSocket connections",
    registers,
  });
  const subscriptions = new Gauge({
    name: `${PREFIX}subscriptions`,
    help: "Live subscriptions by transport (ws, multipart)",
    labelNames: ["transport"] as const,
    registers,
  });
  const events = new Counter({
    name: `${PREFIX}subscription_events_total`,
    help: "Events delivered to subscribers, by transport",
    labelNames: ["transport"] as const,
    registers,
  });
  for (const transport of ["ws", "multipart"]) {
    subscriptions.set({ transport }, 0);
    events.inc({ transport }, 0);
  }
  return {
    submit: (outcome, reason) => submits.inc({ outcome, reason: reason ?? "none" }),
    taskEntered: (status) => taskTransitions.inc({ status }),
    upstreamRequest: (endpoint, outcome, httpStatus, seconds) => {
      upstreamRequests.inc({ endpoint, outcome, status: httpStatus ?? "none" });
      upstreamDuration.observe({ endpoint, outcome }, seconds);
    },
    pollStarted: (lagSeconds) => pollLag.observe(lagSeconds),
    webSocketOpened: () => webSockets.inc(),
    webSocketClosed: () => webSockets.dec(),
    subscriptionStarted: (transport) => subscriptions.inc({ transport }),
    subscriptionEnded: (transport) => subscriptions.dec({ transport }),
    eventDelivered: (transport) => events.inc({ transport }),
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
