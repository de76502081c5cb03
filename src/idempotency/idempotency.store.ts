/** What a claim on (owner, key) found. */
export type ClaimResult =
  /** Nobody holds the key: the caller now does and must submit, then complete or release it. */
  | { outcome: "claimed" }
  /** The key already produced this task for the same input. */
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
  /** The id the task will get if this claim wins; it also identifies the claim. */
  taskId: string;
  now: Date;
  /** How long a key is kept. */
  ttlMs: number;
  /**
   * A claim still pending after this long was left by a process that died mid-submit: if its task was
   * written, the key replays it; otherwise the key is free again.
   */
  abandonAfterMs: number;
}

/**
 * Idempotency keys per principal. `claim` is atomic: of concurrent claims on one key, exactly one is
 * `claimed`. `complete` and `release` name the claim by its task id, so a claim taken over after its
 * process died cannot be completed or released by that process's leftovers.
 */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** The claim produced its task: from now on the key replays it. */
  complete(ownerId: string, key: string, taskId: string): Promise<void>;
  /** The claim's submit failed and left no task: a retry with the same key may try again. */
  release(ownerId: string, key: string, taskId: string): Promise<void>;
  /** Deletes keys past their time to live; resolves with how many. */
  purgeExpired(now: Date): Promise<number>;
}
