import type { TaskChange, TaskRecord, TaskStatus } from "../domain/task";

/** Position in an owner's newest-first list: strictly older than this task. */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

export interface ListOptions {
  first: number;
  after?: ListPosition;
  statuses?: readonly TaskStatus[];
}

export interface TaskPage {
  tasks: TaskRecord[];
  hasNextPage: boolean;
}

/** An idempotency key to record with a new task: `(ownerId, key)` then names that task. */
export interface IdempotencyClaim {
  key: string;
  /** Fingerprint of the validated input. */
  requestHash: string;
  /** The key is kept at least until then. */
  expiresAt: Date;
  /** The gateway instance that will submit the task. */
  claimedBy: string;
}

/** What an idempotency key of an owner names. */
export interface IdempotencyKeyRecord {
  requestHash: string;
  taskId: string;
  /** `submitting` until the submit that created the task has ended (accepted, or its outcome unknown). */
  state: "submitting" | "settled";
  claimedBy: string;
  claimedAt: Date;
}

export interface AdmitOptions {
  /** Refuse when the owner already has this many unfinished tasks; 0 = no limit. */
  maxActivePerOwner: number;
  idempotency?: IdempotencyClaim;
}

export type AdmitResult =
  /** The task (and its key) were written. */
  | { outcome: "admitted" }
  /** The owner already has `maxActivePerOwner` unfinished tasks; nothing was written. */
  | { outcome: "over-quota" }
  /** The key already names a task for this input; nothing was written. */
  | { outcome: "replay"; key: IdempotencyKeyRecord }
  /** The key was used with another input; nothing was written. */
  | { outcome: "conflict" };

/**
 * Where tasks, and the idempotency keys that name them, live (SQLite on one node, PostgreSQL when
 * shared). A key is written with its task in one transaction and deleted with it, so a key always
 * names a task that exists. A store that can be unreachable (PostgreSQL) rejects with the gateway's
 * StoreUnavailableError (SERVICE_UNAVAILABLE) when it is, never with its driver's own error.
 */
export interface TaskStore {
  /**
   * Writes a new task before it is submitted upstream (write-ahead), in one transaction with its
   * owner's active-task count (atomic across concurrent admits, on every instance) and its
   * idempotency key.
   */
  admit(task: TaskRecord, options: AdmitOptions): Promise<AdmitResult>;
  /** What `(ownerId, key)` names, or null when it is unknown or expired at `now`. */
  findKey(ownerId: string, key: string, now: Date): Promise<IdempotencyKeyRecord | null>;
  /** The submit of the key's task has ended: replays may return the task from now on. */
  settleKey(ownerId: string, key: string, taskId: string): Promise<void>;
  /** Deletes keys past their expiry; resolves with how many. */
  purgeExpiredKeys(now: Date): Promise<number>;
  /**
   * Records the upstream's id for a task once its submit is confirmed. Not a change a client sees, so
   * the version stays.
   */
  confirmSubmit(id: string, upstreamTaskId: string): Promise<void>;
  /**
   * Records that the upstream denied knowing the task at `at`, unless an earlier denial is recorded
   * already (atomically: the first instance to record one wins); resolves with the first denial's
   * time, or null when the task does not exist. Not a change a client sees, so the version stays.
   */
  markUpstreamMissing(id: string, at: Date): Promise<Date | null>;
  /** Forgets a recorded denial: the upstream knows the task again. The version stays. */
  clearUpstreamMissing(id: string): Promise<void>;
  /** Removes a task whose submit the upstream refused, and any key naming it: it never existed. */
  discard(id: string): Promise<void>;
  get(id: string): Promise<TaskRecord | null>;
  /** Results in the order of `ids`; null where a task does not exist. */
  getMany(ids: readonly string[]): Promise<Array<TaskRecord | null>>;
  /**
   * Applies `change` if the stored version is still `expectedVersion`, bumping the version by one.
   * Resolves with the stored task, or null when the version moved on (somebody else changed it).
   */
  update(id: string, expectedVersion: number, change: TaskChange): Promise<TaskRecord | null>;
  /** The owner's tasks, newest first. */
  listByOwner(ownerId: string, options: ListOptions): Promise<TaskPage>;
  /** Ids of every task not yet in a terminal status, oldest first. */
  listActiveIds(): Promise<string[]>;
  /** Resolves when the store answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
