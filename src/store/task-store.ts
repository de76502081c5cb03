import type { TaskRecord, TaskStatus } from "../tasks/task.model";

/** The fields a stored change may touch; `version` and `updatedAt` are the store's business. */
export type TaskChange = Partial<
  Pick<
    TaskRecord,
    | "upstreamTaskId"
    | "status"
    | "providerStatus"
    | "progress"
    | "video"
    | "error"
    | "estimatedTotalSeconds"
    | "completedAt"
  >
>;

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

/**
 * Where tasks live. Implementations: SQLite (single node) and, later, Redis (cluster).
 * Every method is async so that both fit one interface.
 */
export interface TaskStore {
  /** Stores a new task, before it is submitted upstream (write-ahead), with no upstream id yet. */
  insert(task: TaskRecord): Promise<void>;
  /**
   * Records the upstream's id for a task once its submit is confirmed. Not a change a client sees, so
   * the version stays.
   */
  confirmSubmit(id: string, upstreamTaskId: string): Promise<void>;
  /** Removes a task whose submit the upstream refused: it never existed for the client. */
  discard(id: string): Promise<void>;
  /** How many of the owner's tasks are not yet terminal. */
  countActiveByOwner(ownerId: string): Promise<number>;
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
  /** Every task not yet in a terminal status, oldest first. */
  listActive(): Promise<TaskRecord[]>;
  close(): Promise<void>;
}
