import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimitedError } from "../errors/gateway-errors";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";

/**
 * The submit rate limit over a rate-limiter-flexible limiter of `perMinute` points per 60 s window:
 * in memory on one node, or on a store every instance shares (Redis, PostgreSQL). Windows are fixed:
 * each principal's starts with its first submit and lasts a minute.
 */
export class FlexibleSubmitRateLimiter implements SubmitRateLimiter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly perMinute: number,
  ) {}

  async take(ownerId: string): Promise<void> {
    try {
      await this.limiter.consume(ownerId);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome; // the store failed
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new RateLimitedError(
        `At most ${this.perMinute} submits per minute; retry in ${retryAfterSeconds} s.`,
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
