import { GraphQLError } from "graphql";
import { ErrorCode } from "../domain/error-codes";

export interface FieldProblem {
  /** Where the problem is, e.g. `input.durationSeconds`. */
  path: string;
  message: string;
}

/** An error whose code and message are meant for the client (see `domain/error-codes.ts`). */
export abstract class GatewayError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends GatewayError {
  constructor(readonly fields: FieldProblem[]) {
    super(
      ErrorCode.BAD_USER_INPUT,
      fields.map((field) => `${field.path}: ${field.message}`).join("; "),
      { fields },
    );
  }
}

export class UnauthenticatedError extends GatewayError {
  constructor(message = "A valid Authorization: Bearer credential is required.") {
    super(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
  }
}

export class NotFoundError extends GatewayError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} was not found.`);
  }
}

export class RateLimitedError extends GatewayError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
  }
}

export class QuotaExceededError extends GatewayError {
  constructor(message: string) {
    super(ErrorCode.QUOTA_EXCEEDED, message);
  }
}

export class IdempotencyKeyReusedError extends GatewayError {
  constructor(key: string) {
    super(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      `idempotencyKey "${key}" was already used with a different input; use a new key for a new request.`,
      { idempotencyKey: key },
    );
  }
}

export class InsufficientUpstreamBalanceError extends GatewayError {
  constructor() {
    super(
      ErrorCode.INSUFFICIENT_UPSTREAM_BALANCE,
      "The video service's balance is exhausted; the request was not submitted. Try again after it is topped up.",
    );
  }
}

export class UpstreamUnavailableError extends GatewayError {
  constructor(message: string, details: { retryAfterSeconds?: number; taskId?: string } = {}) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, message, details);
  }
}

/** Ends a multipart subscription when the gateway stops (the WebSocket's 1001): subscribe again. */
export class ShuttingDownError extends GatewayError {
  constructor() {
    super(ErrorCode.SHUTTING_DOWN, "The gateway is shutting down: subscribe again.", {
      http: { status: 503 },
    });
  }
}

/** How long a client is asked to wait when a dependency is down: a restart or failover takes seconds. */
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The identity provider's key set (`GATEWAY_JWT_JWKS_URL`) cannot be fetched, so a token signed with
 * a key the gateway has not seen cannot be checked: not the caller's fault, and worth retrying.
 */
export class IdentityProviderUnavailableError extends GatewayError {
  constructor() {
    super(
      ErrorCode.SERVICE_UNAVAILABLE,
      "The bearer token could not be verified right now: the identity provider's keys cannot be fetched; try again in a few seconds.",
      { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS, http: { status: 503 } },
    );
  }
}

/**
 * The task store did not answer: unreachable, restarting, or slower than its timeout. The store
 * reconnects by itself, so the same request may succeed after `retryAfterSeconds`.
 */
export class StoreUnavailableError extends GatewayError {
  constructor() {
    super(
      ErrorCode.SERVICE_UNAVAILABLE,
      "The gateway cannot reach its task store right now; try again in a few seconds.",
      { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
    );
  }
}
