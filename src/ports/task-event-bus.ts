import type { TaskRecord } from "../domain/task";

/** Whose changes a subscriber hears: one task's, or every task of one owner. */
export type TaskTopic = { taskId: string } | { ownerId: string };

export interface TaskEventSubscriber {
  /** A stored snapshot after a change; versions may arrive twice or out of order. */
  next(task: TaskRecord): void;
  /**
   * Events may have been lost (e.g. the bus reconnected): re-read the current state from the store.
   * Absent: the subscriber is not told, and may miss the changes lost meanwhile.
   */
  resync?(): void;
}

/**
 * Carries task changes from whoever stored them to every subscriber, on every instance. A change is
 * published only after it is stored; subscribers drop versions they have already delivered.
 */
export interface TaskEventBus {
  /** Publishes a stored snapshot to the subscribers of its task and of its owner. */
  publish(task: TaskRecord): Promise<void>;
  /**
   * Resolves once the subscription is live, so a snapshot read afterwards cannot miss a change;
   * with the function that ends it.
   */
  subscribe(topic: TaskTopic, subscriber: TaskEventSubscriber): Promise<() => void>;
  close(): Promise<void>;
}
