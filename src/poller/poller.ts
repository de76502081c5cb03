import { isTerminal, type TaskChange, type TaskRecord } from "../domain/task";
import { taskChangeFrom, timedOutChange } from "../domain/task-transitions";
import type { Logger } from "../observability/logger";
import type { PollOutcome, PollScheduler } from "../ports/poll-scheduler";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { TaskStore } from "../ports/task-store";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";
import { backoffDelay, nextPollDelay, type PollTimingOptions } from "./poll-timing";
import { Reconciler } from "./reconciler";

export interface PollerOptions extends PollTimingOptions {
  /** A task still running this long after it was accepted becomes FAILED with `TIMED_OUT`. */
  taskDeadlineMs: number;
  /** Resubmit tasks whose submit was never confirmed, under the same Idempotency-Key. */
  resubmitUnconfirmed: boolean;
  /**
   * How often every active task in the store is scheduled again (a no-op for those that are), so a
   * task whose scheduling failed, or whose schedule a shared queue lost, is polled again.
   * @default never
   */
  resumeIntervalMs?: number;
  /** @default Math.random */
  random?: () => number;
}

/**
 * The only caller of `UpstreamClient.getTask`. The scheduler decides when each active task is due
 * (one poll stream per task, within the global rate and concurrency); a poll reads the upstream,
 * stores what changed (version + 1, compare-and-set) and only then publishes it.
 */
export class Poller {
  private readonly random: () => number;
  private readonly reconciler: Reconciler;
  private resumeTimer: NodeJS.Timeout | undefined;
  private resuming: Promise<unknown> | null = null;
  private resumeAgain = false;

  constructor(
    private readonly store: TaskStore,
    private readonly upstream: UpstreamClient,
    private readonly events: TaskEventBus,
    private readonly scheduler: PollScheduler,
    private readonly logger: Logger,
    private readonly options: PollerOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.reconciler = new Reconciler(store, upstream, this.apply, logger, {
      resubmit: options.resubmitUnconfirmed,
    });
  }

  /** Starts polling, and schedules every active task in the store (then periodically, if set). */
  async start(): Promise<void> {
    await this.scheduler.start(this.poll, () => this.resumeInBackground("schedules were lost"));
    const tasks = await this.resumeActive();
    if (tasks > 0) this.logger.info({ tasks }, "scheduled polling of active tasks");
    const every = this.options.resumeIntervalMs;
    if (every) this.resumeTimer = setInterval(() => this.resumeInBackground(), every).unref();
  }

  /**
   * Schedules every active task in the store, spread over one base interval so they do not stampede;
   * tasks already scheduled keep their schedule.
   */
  async resumeActive(): Promise<number> {
    const ids = await this.store.listActiveIds();
    for (const id of ids) {
      await this.scheduler.schedule(id, this.random() * this.options.intervalMs);
    }
    return ids.length;
  }

  /**
   * A resume nobody waits for, failures logged (the next one tries again). One at a time: asked for
   * while one runs, another follows it, since the one running may have started too early.
   */
  private resumeInBackground(why?: string): void {
    if (why) this.logger.info({ why }, "scheduling every active task again");
    if (this.resuming) {
      this.resumeAgain = true;
      return;
    }
    this.resuming = this.resumeActive()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "scheduling active tasks failed; will retry"),
      )
      .finally(() => {
        this.resuming = null;
        if (!this.resumeAgain) return;
        this.resumeAgain = false;
        this.resumeInBackground();
      });
  }

  /** Starts polling a newly accepted task (a no-op for one already scheduled). */
  track(task: TaskRecord): void {
    if (isTerminal(task.status)) return;
    this.scheduler.schedule(task.id, this.options.intervalMs).catch((error: unknown) => {
      // The periodic resume schedules it later; the task is stored, so it is not lost.
      this.logger.warn({ err: error, taskId: task.id }, "could not schedule a task's polling");
    });
  }

  /** Stops starting polls and waits up to `graceMs` for those in flight, so their results are stored. */
  stop(graceMs: number): Promise<void> {
    clearInterval(this.resumeTimer);
    return this.scheduler.stop(graceMs);
  }

  /** One poll of one task; never throws: a failure becomes a backoff. */
  readonly poll = async (id: string, failures: number): Promise<PollOutcome> => {
    let deadlineAt = Infinity;
    let delay: number;
    try {
      const task = await this.store.get(id);
      if (!task || isTerminal(task.status)) return { nextInMs: null, failures: 0 };
      deadlineAt = task.createdAt.getTime() + this.options.taskDeadlineMs;
      const next = await this.pollOnce(task, deadlineAt);
      if (next === "ended") return { nextInMs: null, failures: 0 };
      failures = 0;
      delay = next;
    } catch (error) {
      // An upstream fault (backoff, honouring Retry-After) or a store fault: keep the task, retry later.
      failures += 1;
      const retryAfterMs = error instanceof UpstreamError ? error.details.retryAfterMs : undefined;
      delay = backoffDelay(failures, retryAfterMs, this.options, this.random);
      this.logger.warn(
        { taskId: id, err: error, failures, retryInMs: delay },
        "task poll failed; backing off",
      );
    }
    return { nextInMs: Math.max(0, Math.min(delay, deadlineAt - Date.now())), failures };
  };

  /**
   * One look at the upstream; resolves the delay until the next, or "ended". At the deadline the
   * upstream is still asked once, so a job that finished just in time is not reported as timed out.
   */
  private async pollOnce(task: TaskRecord, deadlineAt: number): Promise<number | "ended"> {
    const pastDeadline = Date.now() >= deadlineAt;
    const timeOut = async (current: TaskRecord = task) => {
      await this.apply(current, timedOutChange(this.options.taskDeadlineMs, new Date()));
      return "ended" as const;
    };
    if (task.upstreamTaskId === null) {
      if (pastDeadline) return timeOut();
      const outcome = await this.reconciler.reconcile(task);
      return outcome === "ended" ? "ended" : this.options.intervalMs;
    }
    let state;
    try {
      state = await this.upstream.getTask(task.upstreamTaskId);
    } catch (error) {
      if (pastDeadline) return timeOut();
      throw error;
    }
    const change = taskChangeFrom(task, state, new Date());
    const stored = change ? await this.apply(task, change) : task;
    if (isTerminal(stored.status)) return "ended";
    if (pastDeadline) return timeOut(stored);
    const elapsed = Date.now() - task.createdAt.getTime();
    return nextPollDelay(state, elapsed, this.options, this.random);
  }

  /** Store first, then publish: a subscriber never sees what a later query would not return. */
  private readonly apply = async (task: TaskRecord, change: TaskChange): Promise<TaskRecord> => {
    const stored = await this.store.update(task.id, task.version, change);
    if (!stored) return (await this.store.get(task.id)) ?? task;
    await this.events.publish(stored).catch((error: unknown) => {
      // Stored is what counts: subscribers re-read it when the bus comes back.
      this.logger.warn({ err: error, taskId: stored.id }, "publishing a task change failed");
    });
    if (isTerminal(stored.status)) {
      this.logger.info({ taskId: stored.id, status: stored.status }, "task finished");
    }
    return stored;
  };
}
