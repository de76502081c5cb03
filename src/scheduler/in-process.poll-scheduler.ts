import type { Logger } from "../observability/logger";
import { NO_METRICS, type GatewayMetrics } from "../ports/metrics";
import type { PollHandler, PollScheduler } from "../ports/poll-scheduler";
import { DueQueue } from "./due-queue";
import { Pacer } from "./pacer";

export interface InProcessPollSchedulerOptions {
  /** Upstream status requests in flight at once, across all tasks (`POLL_CONCURRENCY`). */
  concurrency: number;
  /** Upstream status requests per second, across all tasks (`POLL_RATE_PER_SECOND`). */
  ratePerSecond: number;
  /**
   * Observes how late each poll starts after it was due.
   * @default NO_METRICS
   */
  metrics?: GatewayMetrics;
}

interface Tracked {
  failures: number;
  dueAt: number;
}

/** Retry delay when a handler throws after all, which it should not. */
const HANDLER_FAULT_RETRY_MS = 5000;

/**
 * The single-process scheduler: tasks wait in a due-time heap, and a dispatcher starts polls as they
 * fall due, within the global concurrency and a pacer that holds the rate. Exactly one poll stream
 * per task: a task is either waiting in the heap or being polled.
 */
export class InProcessPollScheduler implements PollScheduler {
  private readonly queue = new DueQueue();
  private readonly tracked = new Map<string, Tracked>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pacer: Pacer;
  private handler: PollHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(
    private readonly options: InProcessPollSchedulerOptions,
    private readonly logger: Logger,
  ) {
    this.pacer = new Pacer(options.ratePerSecond);
  }

  /** Entries waiting in the due queue (a task being polled has none). */
  get waiting(): number {
    return this.queue.size;
  }

  async scheduled(): Promise<number> {
    return this.tracked.size;
  }

  async start(handler: PollHandler): Promise<void> {
    this.handler = handler;
    this.dispatch();
  }

  async schedule(taskId: string, delayMs: number): Promise<void> {
    if (this.tracked.has(taskId)) return;
    this.enqueue(taskId, { failures: 0, dueAt: Date.now() + delayMs });
    this.dispatch();
  }

  async stop(graceMs: number): Promise<void> {
    this.handler = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
  }

  private enqueue(taskId: string, entry: Tracked): void {
    this.tracked.set(taskId, entry);
    this.queue.push(taskId, entry.dueAt);
  }

  private dispatch(): void {
    const handler = this.handler;
    if (!handler) return;
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
      (this.options.metrics ?? NO_METRICS).pollStarted(Math.max(0, now - top.dueAt) / 1000);
      entry.dueAt = Infinity; // claimed: no second poll of this task until this one settles
      const poll = this.run(handler, top.id, entry).finally(() => {
        this.pacer.settled(slot.slot, Date.now());
        this.inFlight.delete(poll);
        this.dispatch();
      });
      this.inFlight.add(poll);
    }
  }

  private async run(handler: PollHandler, taskId: string, entry: Tracked): Promise<void> {
    let outcome;
    try {
      outcome = await handler(taskId, entry.failures);
    } catch (error) {
      this.logger.error({ err: error, taskId }, "poll handler failed; retrying later");
      outcome = { nextInMs: HANDLER_FAULT_RETRY_MS, failures: entry.failures + 1 };
    }
    if (this.tracked.get(taskId) !== entry) return;
    if (outcome.nextInMs === null) {
      this.tracked.delete(taskId);
      return;
    }
    entry.failures = outcome.failures;
    entry.dueAt = Date.now() + outcome.nextInMs;
    this.queue.push(taskId, entry.dueAt);
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
}
