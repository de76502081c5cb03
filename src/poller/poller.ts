import { TaskErrorCode } from "../domain/error-codes";
import { isTerminal, type TaskChange, type TaskRecord } from "../domain/task";
import { taskChangeFrom, timedOutChange, upstreamLostChange } from "../domain/task-transitions";
import type { UpstreamJobState } from "../domain/upstream-job";
import { resultUrlProblems } from "../domain/upstream-result";
import type { Logger } from "../observability/logger";
import { NO_METRICS, type GatewayMetrics } from "../ports/metrics";
import type { PollOutcome, PollScheduler } from "../ports/poll-scheduler";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { TaskStore } from "../ports/task-store";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";
import { backoffDelay, nextPollDelay, type PollTimingOptions } from "./poll-timing";
import { Reconciler } from "./reconciler";

/** When a deferred poll is retried if the gate did not say when its next slot opens. */
const DEFERRED_RETRY_MS = 1000;

export interface PollerOptions extends PollTimingOptions {
  /** A task still running this long after it was accepted becomes FAILED with `TIMED_OUT`. */
  taskDeadlineMs: number;
  /**
   * A confirmed task the upstream has answered "unknown task" (HTTP 400) about for this long, from
   * its first such answer, becomes FAILED with `UPSTREAM_TASK_LOST` (`UPSTREAM_LOST_AFTER_MS`).
   */
  upstreamLostAfterMs: number;
  /** Resubmit tasks whose submit was never confirmed, under the same Idempotency-Key. */
  resubmitUnconfirmed: boolean;
  /**
   * How often every active task in the store is scheduled again (a no-op for those that are), so a
   * task whose scheduling failed, or whose schedule a shared queue lost, is polled again. Absent:
   * only once, at start.
   */
  resumeIntervalMs?: number;
  /** @default Math.random */
  random?: () => number;
  /**
   * Counts the statuses tasks enter.
   * @default NO_METRICS
   */
  metrics?: GatewayMetrics;
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
      if (error instanceof UpstreamError && error.kind === "deferred") {
        // Held back to keep the poll rate: the same poll, a moment later, with nothing failed.
        return { nextInMs: error.details.retryAfterMs ?? DEFERRED_RETRY_MS, failures };
      }
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
      if (error instanceof UpstreamError && error.kind === "deferred") throw error; // nothing asked
      if (pastDeadline) return timeOut();
      // The status endpoint's only parameter is the id: a 400 means "no such task" (UPSTREAM.md).
      if (error instanceof UpstreamError && error.kind === "bad_request") {
        if (await this.lostUpstream(task)) return "ended";
      }
      throw error;
    }
    if (task.upstreamMissingSince !== null) await this.store.clearUpstreamMissing(task.id);
    const change = taskChangeFrom(task, state, new Date());
    if (change?.error?.code === TaskErrorCode.INVALID_UPSTREAM_RESULT) this.logRefused(task, state);
    const stored = change ? await this.apply(task, change) : task;
    if (isTerminal(stored.status)) return "ended";
    if (pastDeadline) return timeOut(stored);
    const elapsed = Date.now() - task.createdAt.getTime();
    return nextPollDelay(state, elapsed, this.options, this.random);
  }

  /**
   * Records the upstream's denial (the first one's time is kept in the store, so it counts across
   * restarts and instances) and ends the task once the denials have lasted `upstreamLostAfterMs`.
   * A denial shortly after submit, or a brief upstream hiccup, only backs off.
   */
  private async lostUpstream(task: TaskRecord): Promise<boolean> {
    const now = new Date();
    const since = await this.store.markUpstreamMissing(task.id, now);
    if (since === null || now.getTime() - since.getTime() < this.options.upstreamLostAfterMs) {
      return false;
    }
    this.logger.error(
      { taskId: task.id, upstreamTaskId: task.upstreamTaskId, missingSince: since },
      "the upstream no longer knows this task; it fails as UPSTREAM_TASK_LOST",
    );
    await this.apply(task, upstreamLostChange(now));
    return true;
  }

  /** The refused values go to the log (cut short), never to the store or a client. */
  private logRefused(task: TaskRecord, state: UpstreamJobState): void {
    this.logger.warn(
      {
        taskId: task.id,
        upstreamTaskId: task.upstreamTaskId,
        code: TaskErrorCode.INVALID_UPSTREAM_RESULT,
        problems: state.video ? resultUrlProblems(state.video) : [],
      },
      "the upstream reported success with an unusable result; the task fails",
    );
  }

  /** Store first, then publish: a subscriber never sees what a later query would not return. */
  private readonly apply = async (task: TaskRecord, change: TaskChange): Promise<TaskRecord> => {
    const stored = await this.store.update(task.id, task.version, change);
    if (!stored) return (await this.store.get(task.id)) ?? task;
    if (stored.status !== task.status)
      (this.options.metrics ?? NO_METRICS).taskEntered(stored.status);
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
