/** Body of `POST /v1/videos/generations`, exactly as APIMart expects it. */
export interface SubmitBody {
  model: string;
  prompt: string;
  mode?: "std" | "pro";
  duration?: number;
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  negative_prompt?: string;
  image_urls?: string[];
  last_frame_image?: string;
  watermark?: boolean;
}

/** What the gateway understands of one `GET /v1/tasks/{id}` answer. */
export interface UpstreamTaskState {
  upstreamTaskId: string;
  /** The provider's status string as sent (`pending`, `processing`, `completed`, ... or unknown). */
  providerStatus: string;
  progress: number;
  /** Seconds the whole job is expected to take (`estimated_time`), if present. */
  estimatedSeconds: number | null;
  createdAt: Date | null;
  completedAt: Date | null;
  video: { url: string; thumbnailUrl: string | null; expiresAt: Date | null } | null;
  error: { code: string; message: string; type: string | null } | null;
}

/**
 * Why an upstream call failed, in the gateway's terms.
 * - `bad_request`: 400, the upstream refused the parameters or the task id.
 * - `misconfigured`: 401/403, our key is wrong or lacks access (an operator problem).
 * - `payment_required`: 402, the upstream balance is exhausted.
 * - `rate_limited`: 429.
 * - `server_error`: 5xx.
 * - `timeout`, `network`: no (complete) answer.
 * - `malformed`: an answer we cannot parse.
 */
export type UpstreamFailureKind =
  | "bad_request"
  | "misconfigured"
  | "payment_required"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "malformed";

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
    return ["rate_limited", "server_error", "timeout", "network", "malformed"].includes(this.kind);
  }
}

/** The one port to APIMart (or the built-in simulator, which speaks the same wire format). */
export interface UpstreamClient {
  /** Submits a generation; resolves with the upstream's task id. Throws {@link UpstreamError}. */
  submit(
    body: SubmitBody,
    options?: { idempotencyKey?: string },
  ): Promise<{ upstreamTaskId: string }>;
  /** Reads a task's state once. Throws {@link UpstreamError}. */
  getTask(upstreamTaskId: string): Promise<UpstreamTaskState>;
}
