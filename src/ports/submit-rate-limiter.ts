/** Submits per principal and minute; the count may be shared by every instance. */
export interface SubmitRateLimiter {
  /** Counts one submit of `ownerId`, or throws RATE_LIMITED saying when the next is allowed. */
  take(ownerId: string): Promise<void>;
  /** Gives back a submit counted by `take` that was then refused for another reason. */
  refund(ownerId: string): Promise<void>;
}
