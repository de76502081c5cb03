import { RateLimitedError } from "../errors";

const WINDOW_MS = 60_000;

/**
 * Submits per principal in any sliding minute. `take` checks and records in one synchronous step, so
 * concurrent submits cannot slip past. Single-process state: it is the node's own limit.
 */
export class SubmitRateLimiter {
  private readonly recent = new Map<string, number[]>();

  /** @param perMinute 0 turns the limit off */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a submit, or throws RATE_LIMITED with the seconds until one is allowed again. */
  take(ownerId: string): void {
    if (this.perMinute === 0) return;
    const now = this.now();
    const times = (this.recent.get(ownerId) ?? []).filter((at) => at > now - WINDOW_MS);
    if (times.length >= this.perMinute) {
      this.recent.set(ownerId, times);
      const retryAfterSeconds = Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000));
      throw new RateLimitedError(
        `At most ${this.perMinute} submits per minute; retry in ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      );
    }
    times.push(now);
    this.recent.set(ownerId, times);
    if (this.recent.size > 10_000) this.sweep(now);
  }

  private sweep(now: number): void {
    for (const [owner, times] of this.recent) {
      if (times.every((at) => at <= now - WINDOW_MS)) this.recent.delete(owner);
    }
  }
}
