import type { TaskStatus } from "../domain/task";
import type { UpstreamFailureKind } from "./upstream-client";

/**
 * How a submit ended: `accepted` (a new upstream job), `replayed` (an idempotency key named an
 * existing task: no upstream call), `refused` (nothing submitted, see the reason), `outcome_unknown`
 * (the upstream did not confirm; the task is kept and reconciled), `failed` (an unexpected error).
 */
export type SubmitOutcome = "accepted" | "replayed" | "refused" | "outcome_unknown" | "failed";

/** Why a submit was refused; `upstream_*` is what the upstream said of a validated request. */
export type SubmitRefusal =
  | "bad_input"
  | "idempotency_key_reused"
  | "quota_exceeded"
  | "rate_limited"
  | `upstream_${UpstreamFailureKind}`;

/** The two upstream endpoints the gateway calls. */
export type UpstreamEndpoint = "submit" | "status";

/** `ws` (graphql-transport-ws) or `multipart` (Apollo's multipart HTTP subscriptions). */
export type SubscriptionTransport = "ws" | "multipart";

/**
 * What the gateway counts, in domain terms: services and adapters record through this port and
 * never see the metrics library. Every method is cheap and never throws.
 */
export interface GatewayMetrics {
  submit(outcome: SubmitOutcome, reason?: SubmitRefusal): void;
  /** A task entered `status` (QUEUED when its submit is accepted, the rest when a change is stored). */
  taskEntered(status: TaskStatus): void;
  /** One upstream request; `outcome` is `ok` or the failure kind; `httpStatus` when one was received. */
  upstreamRequest(
    endpoint: UpstreamEndpoint,
    outcome: "ok" | UpstreamFailureKind,
    httpStatus: number | undefined,
    seconds: number,
  ): void;
  /** A poll started this long after it was due (rate, concurrency or a busy event loop). */
  pollStarted(lagSeconds: number): void;
  webSocketOpened(): void;
  webSocketClosed(): void;
  subscriptionStarted(transport: SubscriptionTransport): void;
  subscriptionEnded(transport: SubscriptionTransport): void;
  /** One event written to one subscriber. */
  eventDelivered(transport: SubscriptionTransport): void;
}

/** Records nothing: for tests and tools that run a component alone. */
export const NO_METRICS: GatewayMetrics = {
  submit: () => undefined,
  taskEntered: () => undefined,
  upstreamRequest: () => undefined,
  pollStarted: () => undefined,
  webSocketOpened: () => undefined,
  webSocketClosed: () => undefined,
  subscriptionStarted: () => undefined,
  subscriptionEnded: () => undefined,
  eventDelivered: () => undefined,
};
