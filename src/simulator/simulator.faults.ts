import type { ServerResponse } from "node:http";
import { errorReply, writeReply } from "./simulator.http";
import type { SimulatorRoute } from "./simulator.stats";

export type FaultHttpStatus = 400 | 401 | 402 | 403 | 429 | 500 | 502 | 503 | 504;

/** What happens to a request hit by a fault. */
export type SimulatedFault =
  /**
   * An upstream error answer, in the upstream's format with the matching `error.type`. With
   * `afterAccept` on a submit, the task is created first, as when a proxy in front of the upstream
   * answers 502 or 504 for a request the upstream went on to serve.
   */
  | {
      type: "http";
      status: FaultHttpStatus;
      retryAfter?: string;
      message?: string;
      afterAccept?: boolean;
    }
  /** 200 with a truncated JSON body. */
  | { type: "malformed" }
  /**
   * The socket is destroyed without an answer. With `afterAccept` on a submit, the task is created
   * first: the client cannot know whether its submit took effect.
   */
  | { type: "drop"; afterAccept?: boolean }
  /** No answer ever; the socket stays open until the client gives up or the simulator closes. */
  | { type: "hang"; afterAccept?: boolean }
  /** The normal answer, after `delayMs`. */
  | { type: "slow"; delayMs: number };

export interface FaultRule {
  /** Which requests the fault applies to; "any" also matches requests outside the API. */
  route: "submit" | "status" | "any";
  /** How many matching requests it hits. @default 1 */
  times?: number;
  fault: SimulatedFault;
}

/** One-shot (or n-shot) faults, applied in the order added to the next matching requests. */
export interface FaultQueue {
  add(rule: FaultRule): void;
  clear(): void;
  /** Fault uses not yet consumed. */
  readonly pending: number;
}

const HTTP_STATUSES: readonly number[] = [400, 401, 402, 403, 429, 500, 502, 503, 504];

export class SimulatorFaultQueue implements FaultQueue {
  private readonly rules: {
    route: FaultRule["route"];
    remaining: number;
    fault: SimulatedFault;
  }[] = [];

  get pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  add({ route, times = 1, fault }: FaultRule): void {
    if (!["submit", "status", "any"].includes(route))
      throw new RangeError(`Unknown route ${route}`);
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError("times must be an integer >= 1");
    if (fault.type === "http" && !HTTP_STATUSES.includes(fault.status)) {
      throw new RangeError(`Unsupported fault status ${fault.status}`);
    }
    if (fault.type === "slow" && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
      throw new RangeError("delayMs must be a finite number >= 0");
    }
    this.rules.push({ route, remaining: times, fault });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Consumes one use of the first fault matching `route`. */
  take(route: SimulatorRoute): SimulatedFault | undefined {
    const index = this.rules.findIndex((rule) => rule.route === route || rule.route === "any");
    if (index < 0) return undefined;
    const rule = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules.splice(index, 1);
    return rule.fault;
  }
}

const FAULT_MESSAGES: Record<FaultHttpStatus, string> = {
  400: "Invalid request",
  401: "Invalid API key",
  402: "Insufficient balance, please top up your account",
  403: "This API key does not have access to this model",
  429: "Rate limit exceeded, please slow down",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service temporarily unavailable",
  504: "Gateway timeout",
};

/** Answers (or withholds the answer to) a request hit by a fault other than "slow". */
export function applyFault(
  fault: Exclude<SimulatedFault, { type: "slow" }>,
  res: ServerResponse,
): void {
  switch (fault.type) {
    case "http": {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
      const message = fault.message ?? FAULT_MESSAGES[fault.status];
      writeReply(res, errorReply(fault.status, message, headers));
      return;
    }
    case "malformed": {
      const headers = { "content-type": "application/json; charset=utf-8" };
      writeReply(res, { status: 200, headers, body: '{"code":200,"data":{"id":"task_' });
      return;
    }
    case "drop":
      res.socket?.destroy();
      return;
    case "hang":
      return;
  }
}
