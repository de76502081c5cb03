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
  /** The gateway is stopping: a multipart subscription ends with it; subscribe again. */
  SHUTTING_DOWN = "SHUTTING_DOWN",
  /**
   * A service the gateway depends on is down: its task store (PostgreSQL) cannot be reached or is too
   * slow, or the identity provider's keys cannot be fetched; retry after `retryAfterSeconds`.
   */
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
  /** The upstream kept answering that it does not know the task (e.g. it purged it). */
  UPSTREAM_TASK_LOST = "UPSTREAM_TASK_LOST",
  /** The upstream reported success with a result the gateway will not serve (e.g. a `javascript:` URL). */
  INVALID_UPSTREAM_RESULT = "INVALID_UPSTREAM_RESULT",
}

/**
 * What each task error code tells a client developer; the schema documents `TaskErrorCode` with
 * these. A `Record` over the enum, so a code added above does not compile until it is described here.
 */
export const TASK_ERROR_CODE_DESCRIPTIONS: Record<TaskErrorCode, string> = {
  [TaskErrorCode.GENERATION_FAILED]:
    "The upstream could not generate the video (a content policy refusal or an internal error); `message` gives its reason. Submitting again, perhaps with another prompt, may succeed.",
  [TaskErrorCode.TIMED_OUT]:
    "The video was not ready within the deadline the gateway's operator set for a task, and was abandoned.",
  [TaskErrorCode.SUBMIT_FAILED]:
    "The request was sent but its answer was lost, and when the gateway checked again the upstream had refused it: no video was made. Submitting again may succeed.",
  [TaskErrorCode.UPSTREAM_TASK_LOST]:
    "The upstream kept answering that it does not know the task (for longer than the operator's grace period), e.g. because it purged it: the video is gone. Submitting again may succeed.",
  [TaskErrorCode.INVALID_UPSTREAM_RESULT]:
    "The upstream reported success, but its video or thumbnail link was not a safe http(s) URL, so the gateway will not serve it. Submitting again may succeed.",
};

/** WebSocket close codes the gateway (or graphql-ws on its behalf) closes a connection with. */
export enum CloseCode {
  /** The gateway is shutting down: reconnect, to another instance if there is one. */
  GOING_AWAY = 1001,
  /** More operations in flight on one connection than `WS_MAX_OPERATIONS_IN_FLIGHT`: open fewer at once. */
  POLICY_VIOLATION = 1008,
  /** A message over `WS_MAX_PAYLOAD_BYTES`. */
  MESSAGE_TOO_BIG = 1009,
  /**
   * More than `WS_MAX_BUFFERED_BYTES` of answers left unread, or the credential cannot be checked now
   * (the identity provider's keys cannot be fetched): reconnect later.
   */
  TRY_AGAIN_LATER = 1013,
  /** A message that is not valid `graphql-transport-ws`. */
  BAD_REQUEST = 4400,
  /** A `subscribe` before `connection_ack`. */
  UNAUTHORIZED = 4401,
  /** A missing or invalid credential in `connection_init`. */
  FORBIDDEN = 4403,
  /** The client does not speak `graphql-transport-ws` (the WebSocket subprotocol). */
  SUBPROTOCOL_NOT_ACCEPTABLE = 4406,
  /** No `connection_init` within 5 s of connecting. */
  CONNECTION_INIT_TIMEOUT = 4408,
  /** A `subscribe` reusing the id of an operation still running. */
  SUBSCRIBER_ALREADY_EXISTS = 4409,
  /** A second `connection_init` on one connection. */
  TOO_MANY_INITIALISATION_REQUESTS = 4429,
  /** The gateway failed while handling a message: a bug, logged in full; reconnect. */
  INTERNAL_ERROR = 4500,
}

/** The sets of codes by where a client meets them; used by the README check. */
export const CLIENT_VISIBLE_CODES = {
  errors: [...Object.values(ErrorCode), ...Object.values(RequestErrorCode)],
  taskErrors: Object.values(TaskErrorCode),
  closeCodes: Object.values(CloseCode).filter((code): code is number => typeof code === "number"),
} as const;
