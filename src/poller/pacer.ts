/**
 * Spaces upstream requests at least `1000 / ratePerSecond` ms apart (a token bucket of depth one), so no
 * one-second window sees more than the configured rate, however late timers fire.
 */
export class Pacer {
  private readonly spacingMs: number;
  private nextSlot = 0;

  constructor(ratePerSecond: number) {
    this.spacingMs = 1000 / ratePerSecond;
  }

  /** Takes a slot if one is free now; otherwise returns the ms to wait for the next one. */
  tryTake(now: number): { taken: true } | { taken: false; waitMs: number } {
    if (now < this.nextSlot) return { taken: false, waitMs: this.nextSlot - now };
    this.nextSlot = Math.max(now, this.nextSlot) + this.spacingMs;
    return { taken: true };
  }
}
