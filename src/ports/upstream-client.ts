import type { GenerationRequest } from "../domain/generation-request";
import type { UpstreamJobState } from "../domain/upstream-job";

/**
 * Why an upstream call failed, in the gateway's terms.
 * - `bad_request`: 400, the upstream refused the parameters or the task id.
 * - `misconfigured`: 401/403, our key is wrong or lacks access (an operator problem).
 * - `payment_required`: 402, the upstream balance is exhausted.
 * - `rate_limited`: 429.
 * - `server_error`: 5xx.
 * - `timeout`, `network`: no (complete) answer.
 * - `malformed`: an answer we cannot parse.
 * - `too_large`: a success answer whose body exceeds the size limit (`UPSTREAM_MAX_BODY_BYTES`).
 * - `deferred`: nothing was sent; the gateway held the request back to keep its own poll rate, and
 *   `retryAfterMs` says when a slot opens. Not a fault of the upstream's.
 */
export type UpstreamFailureKind =
  | "bad_request"
  | "misconfigured"
  | "payment_required"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "malformed"
  | "too_large"
  | "deferred";

export class UpstreamError extends Error {
  override readonly name = "UpstreamError";

  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly details: {
      httpStatus?: number;
      /** From `Retry-After` (seconds or HTTP date), in milliseconds from now. */
      retryAfterMs?: number;
      /** True when the request may have reached the upstream and been acted on (e.g. a timeout after sending). */
      outcomeUnknown?: boolean;
    } = {},
  ) {
    super(message);
  }

  /** Worth retrying later: the upstream may answer differently. */
  get transient(): boolean {
    return [
      "rate_limited",
      "server_error",
      "timeout",
      "network",
      "malformed",
      "too_large",
      "deferred",
    ].includes(this.kind);
  }
}

/** The one port to the video service (APIMart, or the built-in simulator, which speaks its wire format). */
export interface UpstreamClient {
  /**
   * Submits a validated request; resolves with the upstream's task id. `idempotencyKey` makes a
   * repeated submit answer the task the first one created. Throws {@link UpstreamError}.
   */
  submit(
    request: GenerationRequest,
    options: { idempotencyKey: string },
  ): Promise<{ upstreamTaskId: string }>;
  /** Reads a job's state once. Throws {@link UpstreamError}. */
  getTask(upstreamTaskId: string): Promise<UpstreamJobState>;
}
