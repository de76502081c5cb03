import type { WireError } from "./apimart.wire";
import { UpstreamError, type UpstreamFailureKind } from "../ports/upstream-client";

/** Which call failed, for messages: `POST /v1/videos/generations`. */
export interface UpstreamCall {
  method: string;
  path: string;
  timeoutMs: number;
}

/**
 * Connection failures that happen before any byte of the request is sent, so the upstream cannot have
 * acted on it. Anything else (a reset, "other side closed", an unknown cause) may come after it did.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * 502 and 504 come from a gateway or proxy in front of the upstream that gave up on it (a bad answer,
 * or none in time): the request may well have reached the upstream, and a submit created a task.
 * 500 and 503 are the upstream's own answer that it did not act on the request.
 */
const PROXY_GAVE_UP = new Set([502, 504]);

export function kindForHttpStatus(status: number): UpstreamFailureKind {
  // 404/405: no such endpoint, so APIMART_BASE_URL is wrong; not the client's fault.
  if (status === 401 || status === 403 || status === 404 || status === 405) return "misconfigured";
  if (status === 408) return "timeout";
  if (status === 402) return "payment_required";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return "bad_request";
  // A redirect (we do not follow them, so the key never travels elsewhere) means a wrong base URL.
  if (status >= 300) return "misconfigured";
  return "server_error";
}

/** An error for an answer that reports a failure: a non-2xx status, or a 2xx whose envelope says so. */
export function httpError(
  call: UpstreamCall,
  httpStatus: number,
  error: WireError | undefined,
  rawBody: string,
  retryAfterMs: number | undefined,
): UpstreamError {
  const kind = kindForHttpStatus(httpStatus);
  const type = error?.type ? ` ${error.type}` : "";
  const detail = error?.message ?? snippet(rawBody);
  const retryable = kind === "rate_limited" || kind === "server_error";
  return new UpstreamError(
    kind,
    `upstream ${call.method} ${call.path} answered HTTP ${httpStatus}${type}${detail ? `: ${detail}` : ""}`,
    {
      httpStatus,
      ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(PROXY_GAVE_UP.has(httpStatus) ? { outcomeUnknown: true } : {}),
    },
  );
}

/**
 * An error for a call that got no complete answer: a timeout or a network failure. `answered` is true when
 * the status line had already arrived (the body then failed), which means the request was received.
 */
export function transportError(
  call: UpstreamCall,
  error: unknown,
  answered: boolean,
): UpstreamError {
  const where = `upstream ${call.method} ${call.path}`;
  const name = asErrorLike(error)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    // The request may already be with the upstream: a submit may have created a task.
    return new UpstreamError("timeout", `${where} timed out after ${call.timeoutMs} ms`, {
      outcomeUnknown: true,
    });
  }
  const causes = causeChain(error);
  const notSent = !answered && causes.some((cause) => NOT_SENT_CODES.has(codeOf(cause) ?? ""));
  return new UpstreamError("network", `${where} failed: ${describe(error, causes)}`, {
    outcomeUnknown: !notSent,
  });
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Duck-typed on purpose: errors thrown inside fetch come from Node's own realm, and `instanceof Error` is
 * false for them wherever code runs in another one (jest's test environment does).
 */
function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === "object" && value !== null ? (value as ErrorLike) : undefined;
}

/** The error, its `cause`s and, for an AggregateError (one per address tried), their members. */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let current = asErrorLike(error); current && chain.length < 10;) {
    chain.push(current);
    if (Array.isArray(current.errors))
      chain.push(...current.errors.flatMap((e) => asErrorLike(e) ?? []));
    current = asErrorLike(current.cause);
  }
  return chain;
}

function codeOf(error: ErrorLike): string | undefined {
  return typeof error.code === "string" ? error.code : undefined;
}

/** The innermost message, e.g. "connect ECONNREFUSED 127.0.0.1:4000" rather than undici's "fetch failed". */
function describe(error: unknown, causes: ErrorLike[]): string {
  const innermost = [...causes].reverse().find((cause) => typeof cause.message === "string");
  if (!innermost) return String(error);
  const message = String(innermost.message);
  const code = codeOf(innermost);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** The start of a non-JSON body (an HTML error page from a proxy), enough to recognise it in a log. */
function snippet(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
