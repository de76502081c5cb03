import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { UpstreamJobState } from "../domain/upstream-job";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";

export interface ClockSecondPollGateOptions {
  /** Status requests allowed to reach the upstream in one clock second (`POLL_RATE_PER_SECOND`). */
  ratePerSecond: number;
  /**
   * No poll is sent this close to the end of a clock second: a request sent then could arrive in the
   * next second, which may already have its full count.
   */
  arrivalMarginMs: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The poll rate counted where it matters, just before a status request is sent: at most
 * `ratePerSecond` per clock second across every instance sharing `counter` (fixed windows keyed by
 * the epoch second, e.g. in Redis). A scheduler's own limiter counts polls when it hands them out,
 * and an instance short of CPU can send them later than that, into a second that is already full.
 * A poll held back here fails as `deferred` with the time its next slot opens; submits pass untouched.
 */
export class ClockSecondPollGate implements UpstreamClient {
  private readonly now: () => number;

  constructor(
    private readonly upstream: UpstreamClient,
    /** Counts per key over windows of at least two seconds; keys are epoch seconds. */
    private readonly counter: RateLimiterAbstract,
    private readonly options: ClockSecondPollGateOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  submit: UpstreamClient["submit"] = (request, options) => this.upstream.submit(request, options);

  async getTask(upstreamTaskId: string): Promise<UpstreamJobState> {
    const now = this.now();
    const second = Math.floor(now / 1000);
    const nextSecondInMs = (second + 1) * 1000 - now;
    if (nextSecondInMs <= this.options.arrivalMarginMs) throw deferred(nextSecondInMs);
    try {
      await this.counter.consume(String(second));
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw deferred(nextSecondInMs);
      throw outcome; // the counter's store failed: a fault, retried with backoff
    }
    // The count took a round trip to Redis (and a busy event loop may have added more): if the
    // margin has been reached meanwhile, the request would land in the next second, uncounted
    // there. The slot taken in this second is let go unused.
    const untilNextSecond = (second + 1) * 1000 - this.now();
    if (untilNextSecond <= this.options.arrivalMarginMs)
      throw deferred(Math.max(untilNextSecond, 0));
    return this.upstream.getTask(upstreamTaskId);
  }
}

function deferred(retryAfterMs: number): UpstreamError {
  return new UpstreamError("deferred", "poll held back to keep POLL_RATE_PER_SECOND", {
    retryAfterMs,
  });
}
