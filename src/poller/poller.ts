import type { Logger } from "../logger";
import type { TaskEvents } from "../pubsub/task-events";
import type { TaskChange, TaskStore } from "../store/task-store";
import { isTerminal, type TaskRecord } from "../tasks/task.model";
import { UpstreamError, type UpstreamClient } from "../upstream/upstream.types";
import { DueQueue } from "./due-queue";
import { Pacer } from "./pacer";
import { backoffDelay, nextPollDelay, type PollTimingOptions } from "./poll-timing";
import { Reconciler } from "./reconciler";
import { taskChangeFrom, timedOutChange } from "./task-change";

export interface PollerOptions extends PollTimingOptions {
  /** Upstream status requests in flight at once, across all tasks. */
  concurrency: number;
  /** Upstream status requests per second, across all tasks. */
  ratePerSecond: number;
  /** A task still running this long after it was accepted becomes FAILED with `TIMED_OUT`. */
  taskDeadlineMs: number;
  /** @default Math.random */
  random?: () => number;
  /**
   * Resubmit tasks whose submit was never confirmed, under the same Idempotency-Key.
   * @default true
   */
  resubmitUnconfirmed?: boolean;
  /** How long `stop()` waits for polls in flight; a poll cut off is simply repeated after restart. @default 3000 */
  stopGraceMs?: number;
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
  private readonly reconciler: Reconciler;
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
    this.reconciler = new Reconciler(store, upstream, this.apply, logger, {
      resubmit: options.resubmitUnconfirmed,
    });
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
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise(
      (resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? 3000)),
    );
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
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
    let deadlineAt = Infinity;
    let delay: number;
    try {
      const task = await this.store.get(id);
      if (!task || isTerminal(task.status)) return void this.tracked.delete(id);
      deadlineAt = task.createdAt.getTime() + this.options.taskDeadlineMs;
      const next = await this.pollOnce(task, deadlineAt);
      if (next === "ended") return void this.tracked.delete(id);
      entry.failures = 0;
      delay = next;
    } catch (error) {
      // An upstream fault (backoff, honouring Retry-After) or a store fault: keep the task, retry later.
      entry.failures += 1;
      const retryAfterMs = error instanceof UpstreamError ? error.details.retryAfterMs : undefined;
      delay = backoffDelay(entry.failures, retryAfterMs, this.options, this.random);
      this.logger.warn(
        { taskId: id, err: error, failures: entry.failures, retryInMs: delay },
        "task poll failed; backing off",
      );
    }
    this.reschedule(id, entry, Math.min(Date.now() + delay, deadlineAt));
  }

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

  private reschedule(id: string, entry: Tracked, dueAt: number): void {
    if (this.tracked.get(id) !== entry) return;
    entry.dueAt = dueAt;
    this.queue.push(id, dueAt);
  }

  /** Store first, then publish: a subscriber never sees what a later query would not return. */
  private readonly apply = async (task: TaskRecord, change: TaskChange): Promise<TaskRecord> => {
    const stored = await this.store.update(task.id, task.version, change);
    if (!stored) return (await this.store.get(task.id)) ?? task;
    this.events.publish(stored);
    if (isTerminal(stored.status)) {
      this.logger.info({ taskId: stored.id, status: stored.status }, "task finished");
    }
    return stored;
  };
}
