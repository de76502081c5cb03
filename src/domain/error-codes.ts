/**
 * Every code a client can see, in one place: GraphQL error codes (`extensions.code`), the codes of
 * refused requests and protocol errors, WebSocket close codes, and the codes of failed tasks
 * (`Task.error.code`). The README's error tables list exactly these; a test keeps them in step.
 */

/** Codes of the gateway's own GraphQL errors (`extensions.code`). */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  NOT_FOUND = "NOT_FOUND",
  RATE_LIMITED = "RATE_LIMITED",
  QUOTA_EXCEEDED = "QUOTA_EXCEEDED",
  IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED",
  INSUFFICIENT_UPSTREAM_BALANCE = "INSUFFICIENT_UPSTREAM_BALANCE",
  UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE",
  /** The gateway's own task store (PostgreSQL) cannot be reached or is too slow; retry later. */
  SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/**
 * Codes of requests refused before any resolver runs (`extensions.code`): malformed bodies and
 * operations, as graphql-js and Apollo name them, the same on every transport.
 */
export enum RequestErrorCode {
  BAD_REQUEST = "BAD_REQUEST",
  PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE",
  GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED",
  GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED",
  OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE",
  PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED",
}

/** Why a task ended FAILED (`Task.error.code`). */
export enum TaskErrorCode {
  /** The upstream gave up on the job; the message is the upstream's. */
  GENERATION_FAILED = "GENERATION_FAILED",
  /** Still running when the task deadline passed. */
  TIMED_OUT = "TIMED_OUT",
  /** An unconfirmed submit that the upstream refused when it was reconciled. */
  SUBMIT_FAILED = "SUBMIT_FAILED",
}

/** WebSocket close codes the gateway (or graphql-ws on its behalf) closes a connection with. */
export enum CloseCode {
  /** The gateway is shutting down: reconnect, to another instance if there is one. */
  GOING_AWAY = 1001,
  /** A message over `WS_MAX_PAYLOAD_BYTES`. */
  MESSAGE_TOO_BIG = 1009,
  /** A message that is not valid `graphql-transport-ws`. */
  BAD_REQUEST = 4400,
  /** A `subscribe` before `connection_ack`. */
  UNAUTHORIZED = 4401,
  /** A missing or invalid credential in `connection_init`. */
  FORBIDDEN = 4403,
  /** No `connection_init` within 5 s of connecting. */
  CONNECTION_INIT_TIMEOUT = 4408,
  /** A `subscribe` reusing the id of an operation still running. */
  SUBSCRIBER_ALREADY_EXISTS = 4409,
  /** A second `connection_init` on one connection. */
  TOO_MANY_INITIALISATION_REQUESTS = 4429,
}

/** The sets of codes by where a client meets them; used by the README check. */
export const CLIENT_VISIBLE_CODES = {
  errors: [...Object.values(ErrorCode), ...Object.values(RequestErrorCode)],
  taskErrors: Object.values(TaskErrorCode),
  closeCodes: Object.values(CloseCode).filter((code): code is number => typeof code === "number"),
} as const;
