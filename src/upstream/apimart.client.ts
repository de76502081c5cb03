import type { GenerationRequest } from "../domain/generation-request";
import type { UpstreamJobState } from "../domain/upstream-job";
import type { Logger } from "../observability/logger";
import { NO_METRICS, type GatewayMetrics } from "../ports/metrics";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";
import { toSubmitBody } from "./apimart.body";
import { readBoundedBody, type BoundedBody } from "./bounded-body";
import { httpError, transportError, type UpstreamCall } from "./apimart.errors";
import {
  parseEnvelopeFailure,
  parseErrorBody,
  parseSubmitResponse,
  parseTaskResponse,
} from "./apimart.parse";
import { parseRetryAfter } from "./retry-after";

export interface ApimartClientOptions {
  /** Where APIMart (or the simulator) listens, e.g. `https://api.apimart.ai`; a trailing slash is ignored. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged and never part of an error. */
  apiKey: string;
  /**
   * Time allowed for a submit, reading the answer included (`UPSTREAM_SUBMIT_TIMEOUT_MS`). Generous
   * because the upstream checks the request (and may fetch the image URLs) before it answers.
   */
  submitTimeoutMs: number;
  /** Time allowed for one status read, reading the answer included (`UPSTREAM_STATUS_TIMEOUT_MS`). */
  statusTimeoutMs: number;
  /**
   * Largest answer body read (`UPSTREAM_MAX_BODY_BYTES`); a longer one is cut off there and is a
   * `too_large` fault, so an upstream cannot make the gateway buffer what it likes.
   */
  maxBodyBytes: number;
  /**
   * Language of the upstream's messages (the status endpoint's `language` parameter).
   * @default "en"
   */
  language?: "en" | "zh" | "ko" | "ja";
  /**
   * Counts each request by endpoint, status and outcome, with its latency.
   * @default NO_METRICS
   */
  metrics?: GatewayMetrics;
  logger: Logger;
}

const SUBMIT_PATH = "/v1/videos/generations";

/** Shorter keys are placeholders (e.g. for the simulator): scrubbing them would mangle ordinary words. */
const MIN_SCRUBBED_KEY_LENGTH = 8;

/** The HTTP client for APIMart and for the simulator, which speaks the same wire format. */
export class ApimartClient implements UpstreamClient {
  readonly #apiKey: string;
  private readonly baseUrl: string;
  private readonly submitTimeoutMs: number;
  private readonly statusTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly language: string;
  private readonly logger: Logger;
  private readonly metrics: GatewayMetrics;

  constructor(options: ApimartClientOptions) {
    if (!isHeaderValue(`Bearer ${options.apiKey}`)) {
      throw new Error("ApimartClient: apiKey contains characters not allowed in an HTTP header");
    }
    this.#apiKey = options.apiKey;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.submitTimeoutMs = options.submitTimeoutMs;
    this.statusTimeoutMs = options.statusTimeoutMs;
    this.maxBodyBytes = options.maxBodyBytes;
    this.language = options.language ?? "en";
    this.logger = options.logger.child({ component: "upstream" });
    this.metrics = options.metrics ?? NO_METRICS;
  }

  async submit(
    request: GenerationRequest,
    options: { idempotencyKey: string },
  ): Promise<{ upstreamTaskId: string }> {
    const { idempotencyKey } = options;
    if (!isHeaderValue(idempotencyKey)) {
      throw new UpstreamError(
        "bad_request",
        "the Idempotency-Key is not a valid HTTP header value",
      );
    }
    try {
      const json = await this.call(
        { method: "POST", path: SUBMIT_PATH, timeoutMs: this.submitTimeoutMs },
        { body: toSubmitBody(request), headers: { "idempotency-key": idempotencyKey } },
      );
      return parseSubmitResponse(json);
    } catch (error) {
      // A success status with an answer we cannot read (or will not: too large): the upstream most
      // likely created the task.
      if (
        error instanceof UpstreamError &&
        (error.kind === "malformed" || error.kind === "too_large")
      ) {
        throw new UpstreamError(error.kind, error.message, {
          ...error.details,
          outcomeUnknown: true,
        });
      }
      throw error;
    }
  }

  async getTask(upstreamTaskId: string): Promise<UpstreamJobState> {
    if (upstreamTaskId === "") throw new UpstreamError("bad_request", "empty upstream task id");
    const path = `/v1/tasks/${encodeURIComponent(upstreamTaskId)}`;
    const json = await this.call(
      { method: "GET", path, timeoutMs: this.statusTimeoutMs },
      { query: `?language=${encodeURIComponent(this.language)}` },
    );
    return parseTaskResponse(json, upstreamTaskId);
  }

  /** Sends one request and returns the answer's JSON; every failure is thrown as an UpstreamError. */
  private async call(
    call: UpstreamCall,
    request: { body?: unknown; headers?: Record<string, string>; query?: string },
  ): Promise<unknown> {
    const started = performance.now();
    const endpoint = call.path === SUBMIT_PATH ? "submit" : "status";
    const seconds = () => (performance.now() - started) / 1000;
    const logFields = () => ({
      method: call.method,
      path: call.path,
      durationMs: Math.round(performance.now() - started),
    });
    try {
      const { status, json } = await this.send(call, request);
      this.metrics.upstreamRequest(endpoint, "ok", status, seconds());
      this.logger.debug({ ...logFields(), status }, "upstream call");
      return json;
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const failure = this.scrub(error);
      const status = failure.details.httpStatus;
      this.metrics.upstreamRequest(endpoint, failure.kind, status, seconds());
      this.logger.debug(
        { ...logFields(), status, kind: failure.kind, error: failure.message },
        "upstream call failed",
      );
      if (status === 401 || status === 403) {
        this.logger.warn(
          { method: call.method, path: call.path, status },
          "the upstream rejected the gateway's API key: check APIMART_API_KEY",
        );
      }
      throw failure;
    }
  }

  private async send(
    call: UpstreamCall,
    request: { body?: unknown; headers?: Record<string, string>; query?: string },
  ): Promise<{ status: number; json: unknown }> {
    let response: Response;
    let body: BoundedBody;
    // One signal for the whole exchange, so a server that stalls mid-body cannot outlast the timeout.
    const signal = AbortSignal.timeout(call.timeoutMs);
    try {
      response = await fetch(`${this.baseUrl}${call.path}${request.query ?? ""}`, {
        method: call.method,
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: "manual",
        signal,
      });
    } catch (error) {
      throw transportError(call, error, false);
    }
    try {
      body = await readBoundedBody(response, this.maxBodyBytes);
    } catch (error) {
      throw transportError(call, error, true);
    }
    const { text } = body;
    const { status } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    // An error answer is classified by its status; its (possibly cut) body only feeds the message.
    if (!response.ok) throw httpError(call, status, parseErrorBody(text), text, retryAfterMs);
    if (body.overLimit) {
      throw new UpstreamError(
        "too_large",
        `upstream ${call.method} ${call.path} answered HTTP ${status} with a body over ${this.maxBodyBytes} bytes`,
        { httpStatus: status },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(
        "malformed",
        `upstream ${call.method} ${call.path} answered HTTP ${status} with a body that is not JSON`,
        { httpStatus: status },
      );
    }
    const failure = parseEnvelopeFailure(json);
    if (failure) throw httpError(call, failure.httpStatus, failure.error, "", retryAfterMs);
    return { status, json };
  }

  /** Upstream messages are copied into errors; some APIs echo the key they rejected. */
  private scrub(error: UpstreamError): UpstreamError {
    const key = this.#apiKey;
    if (key.length < MIN_SCRUBBED_KEY_LENGTH || !error.message.includes(key)) return error;
    return new UpstreamError(
      error.kind,
      error.message.replaceAll(key, "[redacted]"),
      error.details,
    );
  }
}

function isHeaderValue(value: string): boolean {
  try {
    new Headers({ "x-check": value });
    return true;
  } catch {
    return false;
  }
}
