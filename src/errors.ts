import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "./logger";

/** The closed set of error codes clients may see in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  NOT_FOUND = "NOT_FOUND",
  RATE_LIMITED = "RATE_LIMITED",
  QUOTA_EXCEEDED = "QUOTA_EXCEEDED",
  IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED",
  INSUFFICIENT_UPSTREAM_BALANCE = "INSUFFICIENT_UPSTREAM_BALANCE",
  UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/** Codes produced by graphql-js / Apollo for malformed operations; they say nothing secret. */
const PROTOCOL_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

export interface FieldProblem {
  /** Where the problem is, e.g. `input.durationSeconds`. */
  path: string;
  message: string;
}

abstract class GatewayError extends GraphQLError {
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

const MASKED_MESSAGE = "Internal server error";

export interface ErrorFormatterOptions {
  /** Drop graphql-js "Did you mean …?" hints, which reveal schema names (production). @default false */
  hideSuggestions?: boolean;
}

/**
 * The one formatter for both transports: our own errors and graphql-js protocol errors pass through;
 * anything else is logged in full and masked for the client.
 */
export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions = {}) {
  const shown = (formatted: GraphQLFormattedError): GraphQLFormattedError =>
    options.hideSuggestions
      ? { ...formatted, message: formatted.message.replace(SUGGESTION, "").trim() }
      : formatted;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    // Over WebSocket nothing labels graphql-js's variable errors as Apollo does over HTTP.
    const unlabelledVariableError =
      formatted.extensions?.code === undefined && /^Variable "\$/.test(formatted.message);
    if (unlabelledVariableError) {
      formatted = { ...formatted, extensions: { ...formatted.extensions, code: "BAD_USER_INPUT" } };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GatewayError) {
      return shown({ ...formatted, extensions: withoutStacktrace(formatted.extensions) });
    }
    // graphql-js and Apollo report malformed operations as GraphQLErrors; a crash is any other Error.
    if (
      original instanceof GraphQLError &&
      typeof code === "string" &&
      (PROTOCOL_CODES.has(code) || code === "BAD_USER_INPUT")
    ) {
      return shown(withoutEchoedValue(formatted));
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error while resolving");
    return {
      message: MASKED_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** `Variable "$input" got invalid value <the value> at "input.mode"; <reason>` */
const INVALID_VARIABLE =
  /^Variable "\$([^"]+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([^;]*)$/;

/**
 * graphql-js quotes the whole offending variable (a user's entire input) in coercion errors. Keep the
 * path and the reason, as `fields` like our own BAD_USER_INPUT, and drop the value.
 */
function withoutEchoedValue(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!/^Variable "\$[^"]+" got invalid value /.test(formatted.message)) return formatted;
  const match = INVALID_VARIABLE.exec(formatted.message);
  const path = match?.[2] ?? match?.[1] ?? formatted.message.split('"')[1].slice(1);
  const message = match?.[3] ?? "has an invalid value";
  return {
    ...formatted,
    message: `${path}: ${message}`,
    extensions: { ...formatted.extensions, fields: [{ path, message }] },
  };
}

/** graphql-js's hints: `Did you mean "status"?`, `Did you mean the enum value "QUEUED"?`, … */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutStacktrace(extensions: GraphQLFormattedError["extensions"]) {
  if (!extensions) return extensions;
  const { stacktrace: _stacktrace, http: _http, ...rest } = extensions;
  return rest;
}
