/** What one poll of a task decided. */
export interface PollOutcome {
  /** Milliseconds until the next poll, or null when the task needs no more. */
  nextInMs: number | null;
  /** Consecutive failed polls so far (0 after a success); handed back on the next call. */
  failures: number;
}

/** Polls a task once; never throws (a failure is a backoff in its outcome). */
export type PollHandler = (taskId: string, failures: number) => Promise<PollOutcome>;

/**
 * Decides which task is polled when, and by whom: one poll stream per task, within the global poll
 * rate and concurrency. In-process on one node; a shared queue in a cluster.
 */
export interface PollScheduler {
  /**
   * Starts calling `handler` for tasks as they fall due. `onLost` is called when schedules may have
   * been lost (the shared queue came back empty after an outage), so the caller schedules every
   * active task again (an in-process schedule is never lost).
   */
  start(handler: PollHandler, onLost?: () => void): Promise<void>;
  /** Schedules a task's first poll in `delayMs`; a task already scheduled keeps its schedule. */
  schedule(taskId: string, delayMs: number): Promise<void>;
  /** How many tasks are scheduled or being polled. */
  scheduled(): Promise<number>;
  /** Stops starting polls and waits up to `graceMs` for those in flight. */
  stop(graceMs: number): Promise<void>;
}
