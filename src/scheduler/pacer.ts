/** Slots a late timer may catch up at once are those of at most this many ms. */
const CATCH_UP_MS = 25;
/** Slack between two starts a window apart, for the upstream's clock and ours. */
const MARGIN_MS = 10;

/** How soon to look again when the slot's request is still in flight (its settling comes first). */
const IN_FLIGHT_RECHECK_MS = 1000;

export type PacerSlot = number;

/**
 * Paces upstream requests at `ratePerSecond` so that no one-second window at the upstream, wherever
 * it starts, ever holds more than R, while late timers cost no throughput:
 *
 * - a schedule of slots 1000 / R ms apart; a timer that fires late takes the slots it missed at once,
 *   up to {@link CATCH_UP_MS} of them (spacing alone loses every late ms for good);
 * - a sliding log of the last R requests: one starts only once the R-th before it is a window past.
 *   That holds the rate however the schedule catches up (a token bucket that catches up lets up to
 *   2R into a window that straddles a refill).
 *
 * A request reaches the upstream some time after it starts, usually a few ms, but tens when a GC
 * pause or a busy event loop comes between; then it lands in the window of later ones, and a log of
 * start times alone lets R + a few into a window at the upstream. So each entry is held until its
 * request has {@link settled}, and for as long past the window as the request took beyond the
 * fastest one seen: that excess is counted as delay before the request left.
 */
export class Pacer {
  private readonly spacingMs: number;
  private readonly startedAt: Float64Array;
  /** When each logged request stops counting: Infinity while it is in flight. */
  private readonly freeAt: Float64Array;
  private oldest = 0;
  private nextSlot = -Infinity;
  private latest = -Infinity;
  private fastestMs = Infinity;

  constructor(ratePerSecond: number) {
    this.spacingMs = 1000 / ratePerSecond;
    this.startedAt = new Float64Array(ratePerSecond);
    this.freeAt = new Float64Array(ratePerSecond).fill(-Infinity);
  }

  /**
   * Takes a slot if one is free now (call {@link settled} with it when the request has ended);
   * otherwise returns the ms to wait for the next one. When a request still in flight holds it,
   * that is a second: the request's settling is the time to look again.
   */
  tryTake(now: number): { taken: true; slot: PacerSlot } | { taken: false; waitMs: number } {
    const at = Math.max(now, this.latest); // a clock stepped back frees nothing
    const due = Math.max(this.nextSlot, at - Math.max(CATCH_UP_MS, this.spacingMs));
    const logFree = this.freeAt[this.oldest];
    // Still in flight: its settling wakes the caller (the scheduler dispatches on every settle).
    if (logFree === Infinity) return { taken: false, waitMs: IN_FLIGHT_RECHECK_MS };
    const freeAt = Math.max(due, logFree);
    if (at < freeAt) return { taken: false, waitMs: Math.ceil(freeAt - at) };
    const slot = this.oldest;
    this.nextSlot = due + this.spacingMs;
    this.startedAt[slot] = at;
    this.freeAt[slot] = Infinity;
    this.oldest = (this.oldest + 1) % this.startedAt.length;
    this.latest = at;
    return { taken: true, slot };
  }

  /** The request of `slot` has ended (answered, failed or timed out) at `now`. */
  settled(slot: PacerSlot, now: number): void {
    const tookMs = Math.max(0, now - this.startedAt[slot]);
    this.fastestMs = Math.min(this.fastestMs, tookMs);
    this.freeAt[slot] = this.startedAt[slot] + 1000 + MARGIN_MS + (tookMs - this.fastestMs);
  }
}
