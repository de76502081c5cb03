import type { Logger } from "../logger";
import type { TaskEvents } from "../pubsub/task-events";
import type { TaskChange, TaskStore } from "../store/task-store";
import { isTerminal, type TaskRecord } from "../tasks/task.model";
import { UpstreamError, type UpstreamClient } from "../upstream/upstream.types";
import { DueQueue } from "./due-queue";
import { Pacer } from "./pacer";
import { backoffDelay, nextPollDelay, type PollTimingOptions } from "./poll-timing";
import { submitFailedChange, taskChangeFrom, timedOutChange } from "./task-change";
import { toSubmitBody } from "../generation/upstream-body";

export interface PollerOptions extends PollTimingOptions {
  /** Upstream status requests in flight at once, across all tasks. */
  concurrency: number;
  /** Upstream status requests per second, across all tasks. */
  ratePerSecond: number;
  /** A task still running this long after it was accepted becomes FAILED with `TIMED_OUT`. */
  taskDeadlineMs: number;
  /** @default Math.random */
  random?: () => number;
}

interface Tracked {
  failures: number;
  dueAt: number;
}

/**
 * The only caller of `UpstreamClient.getTask`. Keeps exactly one poll stream per active task, whatever
 * the number of subscribers: tasks wait in a due-time queue, and a dispatcher starts polls within the
 * global concurrency and rate limits. Every change is stored first (version + 1), then published.
 */
export class Poller {
  private readonly queue = new DueQueue();
  private readonly tracked = new Map<string, Tracked>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pacer: Pacer;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private running = false;

  constructor(
    private readonly store: TaskStore,
    private readonly upstream: UpstreamClient,
    private readonly events: TaskEvents,
    private readonly logger: Logger,
    private readonly options: PollerOptions,
  ) {
    this.pacer = new Pacer(options.ratePerSecond);
    this.random = options.random ?? Math.random;
  }

  /** Resumes every active task in the store, spread over one base interval so they do not stampede. */
  async start(): Promise<void> {
    this.running = true;
    const active = await this.store.listActive();
    const now = Date.now();
    for (const task of active) {
      // A task submitted while the store was being read is already tracked: one stream per task.
      if (!this.tracked.has(task.id)) {
        this.schedule(task.id, now + this.random() * this.options.intervalMs);
      }
    }
    if (active.length > 0) {
      this.logger.info({ tasks: active.length }, "resumed polling of active tasks");
    }
    this.dispatch();
  }

  /** Starts polling a newly accepted task (a no-op for one already tracked). */
  track(task: TaskRecord): void {
    if (isTerminal(task.status) || this.tracked.has(task.id)) return;
    this.schedule(task.id, Date.now() + this.options.intervalMs);
    this.dispatch();
  }

  /** Stops starting polls and waits for those in flight, so their results are stored. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** How many tasks are being polled. */
  get activeTasks(): number {
    return this.tracked.size;
  }

  private schedule(id: string, dueAt: number, failures = 0): void {
    this.tracked.set(id, { failures, dueAt });
    this.queue.push(id, dueAt);
  }

  private dispatch(): void {
    if (!this.running) return;
    const now = Date.now();
    while (this.inFlight.size < this.options.concurrency) {
      const top = this.queue.peek();
      if (!top) return;
      const entry = this.tracked.get(top.id);
      if (!entry || entry.dueAt !== top.dueAt) {
        this.queue.pop(); // superseded by a later schedule, or no longer tracked
        continue;
      }
      if (top.dueAt > now) return this.wakeAt(top.dueAt);
      const slot = this.pacer.tryTake(now);
      if (!slot.taken) return this.wakeAt(now + slot.waitMs);
      this.queue.pop();
      entry.dueAt = Infinity; // claimed: no second poll of this task until this one settles
      const poll = this.poll(top.id, entry).finally(() => {
        this.inFlight.delete(poll);
        this.dispatch();
      });
      this.inFlight.add(poll);
    }
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        this.dispatch();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private async poll(id: string, entry: Tracked): Promise<void> {
    try {
      const task = await this.store.get(id);
      if (!task || isTerminal(task.status)) return void this.tracked.delete(id);
      const now = new Date();
      const deadlineAt = task.createdAt.getTime() + this.options.taskDeadlineMs;
      if (now.getTime() >= deadlineAt) {
        return this.finish(task, timedOutChange(this.options.taskDeadlineMs, now));
      }
      let delay: number;
      try {
        if (task.upstreamTaskId === null) {
          if (await this.reconcile(task)) return void this.tracked.delete(id);
          entry.failures = 0;
          this.reschedule(id, entry, Math.min(Date.now() + this.options.intervalMs, deadlineAt));
          return;
        }
        const state = await this.upstream.getTask(task.upstreamTaskId);
        entry.failures = 0;
        const change = taskChangeFrom(task, state, new Date());
        const stored = change ? await this.apply(task, change) : task;
        if (isTerminal(stored.status)) return void this.tracked.delete(id);
        delay = nextPollDelay(
          state,
          now.getTime() - task.createdAt.getTime(),
          this.options,
          this.random,
        );
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        entry.failures += 1;
        delay = backoffDelay(entry.failures, error.details.retryAfterMs, this.options, this.random);
        this.logger.warn(
          { taskId: id, kind: error.kind, failures: entry.failures, retryInMs: delay },
          "task poll failed; backing off",
        );
      }
      this.reschedule(id, entry, Math.min(Date.now() + delay, deadlineAt));
    } catch (error) {
      // An upstream fault while reconciling, or a store fault: keep the task and try again later.
      entry.failures += 1;
      const retryAfterMs = error instanceof UpstreamError ? error.details.retryAfterMs : undefined;
      const delay = backoffDelay(entry.failures, retryAfterMs, this.options, this.random);
      this.logger.warn(
        { err: error, taskId: id, retryInMs: delay },
        "task poll failed; retrying later",
      );
      this.reschedule(id, entry, Date.now() + delay);
    }
  }

  /**
   * A task whose submit answer was lost has no upstream id. It is submitted again under the same
   * `Idempotency-Key` (the gateway's task id), which the upstream answers with the task the first submit
   * created, if it did. Resolves true when the task ended (the upstream refused it for good).
   */
  private async reconcile(task: TaskRecord): Promise<boolean> {
    try {
      const { upstreamTaskId } = await this.upstream.submit(toSubmitBody(task.request), {
        idempotencyKey: task.id,
      });
      this.logger.info({ taskId: task.id, upstreamTaskId }, "reconciled an unconfirmed submit");
      await this.apply(task, { upstreamTaskId });
      return false;
    } catch (error) {
      if (error instanceof UpstreamError && !error.transient && error.kind !== "misconfigured") {
        const message =
          error.kind === "payment_required"
            ? "The video service's balance is exhausted; the video was not generated."
            : "The video service refused the request; the video was not generated.";
        await this.finish(task, submitFailedChange(message, new Date()));
        return true;
      }
      throw error;
    }
  }

  private reschedule(id: string, entry: Tracked, dueAt: number): void {
    if (this.tracked.get(id) !== entry) return;
    entry.dueAt = dueAt;
    this.queue.push(id, dueAt);
  }

  private async finish(task: TaskRecord, change: TaskChange): Promise<void> {
    await this.apply(task, change);
    this.tracked.delete(task.id);
  }

  /** Store first, then publish: a subscriber never sees what a later query would not return. */
  private async apply(task: TaskRecord, change: TaskChange): Promise<TaskRecord> {
    const stored = await this.store.update(task.id, task.version, change);
    if (!stored) return (await this.store.get(task.id)) ?? task;
    this.events.publish(stored);
    if (isTerminal(stored.status)) {
      this.logger.info({ taskId: stored.id, status: stored.status }, "task finished");
    }
    return stored;
  }
}
