/** What a claim on (owner, key) found. */
export type ClaimResult =
  /** Nobody holds the key: the caller now does and must submit, then complete or release it. */
  | { outcome: "claimed" }
  /** The key already produced a task for the same input. */
  | { outcome: "replay"; taskId: string }
  /** Another request with the same key and input is being submitted right now. */
  | { outcome: "in-flight" }
  /** The key was used with a different input. */
  | { outcome: "conflict" };

export interface ClaimRequest {
  ownerId: string;
  key: string;
  /** Fingerprint of the validated input. */
  requestHash: string;
  now: Date;
  /** How long a key is kept. */
  ttlMs: number;
  /** A claim still pending after this long is taken to be abandoned by a crashed process. */
  abandonAfterMs: number;
}

/**
 * Idempotency keys per principal. `claim` is atomic: of concurrent claims on one key, exactly one is
 * `claimed`. A claim is completed by inserting the task it produced (see `TaskStore.insert`).
 */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Drops a pending claim whose submit failed, so that a retry with the same key may try again. */
  release(ownerId: string, key: string): Promise<void>;
  /** Deletes keys past their time to live; resolves with how many. */
  purgeExpired(now: Date): Promise<number>;
}
