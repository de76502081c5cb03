import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimitedError } from "../errors/gateway-errors";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";

/** The window submits are counted in: a minute, as `RATE_LIMIT_SUBMITS_PER_MINUTE` says. */
const WINDOW_SECONDS = 60;

/** What a submit counter is built with: `points` submits per `duration` seconds. */
export interface SubmitWindow {
  points: number;
  duration: number;
}

/**
 * The submit rate limit: `perMinute` submits per principal (0 = no limit), counted by the
 * rate-limiter-flexible limiter `counter` builds for that window: in memory on one node, or on a
 * store every instance shares (Redis). Windows are fixed: each principal's starts with its first
 * submit and lasts a minute.
 */
export function submitRateLimiter(
  perMinute: number,
  counter: (window: SubmitWindow) => RateLimiterAbstract,
): SubmitRateLimiter {
  if (perMinute === 0) return UNLIMITED_SUBMITS;
  return new FlexibleSubmitRateLimiter(counter({ points: perMinute, duration: WINDOW_SECONDS }));
}

class FlexibleSubmitRateLimiter implements SubmitRateLimiter {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async take(ownerId: string): Promise<void> {
    try {
      await this.limiter.consume(ownerId);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome; // the store failed
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new RateLimitedError(
        `At most ${this.limiter.points} submits per minute; retry in ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      );
    }
  }

  async refund(ownerId: string): Promise<void> {
    await this.limiter.reward(ownerId);
  }
}

/** For `RATE_LIMIT_SUBMITS_PER_MINUTE=0`: every submit passes. */
export const UNLIMITED_SUBMITS: SubmitRateLimiter = {
  take: async () => undefined,
  refund: async () => undefined,
};
