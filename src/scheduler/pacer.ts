/**
 * Spaces upstream requests at least `1000 / ratePerSecond` ms apart (a token bucket of depth one), so no
 * one-second window sees more than the configured rate, however late timers fire.
 */
export class Pacer {
  private readonly spacingMs: number;
  private nextSlot = 0;

  constructor(ratePerSecond: number) {
    // A hair over 1000 / R, so that rounding never fits R + 1 slots into one second.
    this.spacingMs = 1000 / ratePerSecond + 1e-6;
  }

  /** Takes a slot if one is free now; otherwise returns the ms to wait for the next one. */
  tryTake(now: number): { taken: true } | { taken: false; waitMs: number } {
    if (now < this.nextSlot) return { taken: false, waitMs: Math.ceil(this.nextSlot - now) };
    this.nextSlot = Math.max(now, this.nextSlot) + this.spacingMs;
    return { taken: true };
  }
}
