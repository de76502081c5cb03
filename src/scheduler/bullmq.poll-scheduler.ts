import { DelayedError, Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../observability/logger";
import type { PollHandler, PollScheduler } from "../ports/poll-scheduler";

export interface BullMqPollSchedulerOptions {
  /** Key prefix of the queue in Redis; every instance of one gateway must use the same. */
  prefix: string;
  /**
   * Polls in flight at once across the whole cluster (`POLL_CONCURRENCY`): the queue's global
   * concurrency, which is also each worker's own ceiling.
   */
  concurrency: number;
  /** Polls started per second across the whole cluster (`POLL_RATE_PER_SECOND`). */
  ratePerSecond: number;
  /**
   * A dead instance's poll in progress is taken over within this (`POLL_LEASE_MS`): its lock lapses
   * after four fifths of it unless renewed (every two fifths), and a stalled-job check runs every
   * fifth.
   */
  leaseMs: number;
  /** Names this instance's worker in Redis (diagnostics only). */
  instanceId: string;
}

/** What a task's job carries from one poll to the next. */
interface PollJobData {
  /** Consecutive failed polls, for the backoff. */
  failures: number;
}

const QUEUE_NAME = "task-polls";
const JOB_NAME = "poll";
/** Retry delay when a handler throws after all, which it should not. */
const HANDLER_FAULT_RETRY_MS = 5000;
/** A stall (the lock lapsed) must never end a task's polling: BullMQ fails a job past this count. */
const NEVER_FAIL_ON_STALLS = 1_000_000;
/**
 * BullMQ's limiter counts a poll when a worker takes its job, the upstream when the request arrives,
 * a few milliseconds later and not always the same few. With windows of exactly one second, the end
 * of one window's polls and the start of the next's can reach the upstream within one clock second;
 * a tenth of a second between windows absorbs that lag (at the cost of a rate about 9 % lower).
 */
const RATE_WINDOW_MS = 1100;

/**
 * The cluster's scheduler: one BullMQ job per active task (job id = task id) in a queue that every
 * instance works on, so each task has exactly one poll stream wherever it was submitted.
 *
 * - After a poll the job moves itself to the delayed set for the delay the poller chose (adaptive
 *   interval, backoff, Retry-After, deadline), carrying the failure count in its data.
 * - The rate limit is BullMQ's limiter, counted in Redis for the whole queue: at most
 *   `ratePerSecond` polls start in each window (see {@link RATE_WINDOW_MS}), however many
 *   instances run.
 * - Concurrency is bounded for the whole cluster by the queue's global concurrency (stored in
 *   Redis; every instance sets the same value at start), and each worker by the same number.
 * - A poll's job is locked by its worker, the lock renewed while the instance lives; when an
 *   instance dies its jobs' locks lapse and the stalled-job check of any live worker puts them back
 *   in line, all within `leaseMs`. Jobs waiting for their next poll belong to nobody, so they simply
 *   run elsewhere when due.
 * - Finished jobs are removed, so a task's job id can be scheduled again if it ever needs to be.
 *
 * Connections: `queue` for adding and counting (fail-fast options recommended), `worker` for the
 * worker (needs `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking reads).
 */
export class BullMqPollScheduler implements PollScheduler {
  private readonly queue: Queue<PollJobData>;
  private worker: Worker<PollJobData> | null = null;
  private queueWasDown = false;

  constructor(
    private readonly connections: { queue: Redis; worker: Redis },
    private readonly options: BullMqPollSchedulerOptions,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue<PollJobData>(QUEUE_NAME, {
      connection: connections.queue,
      prefix: options.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    this.queue.on("error", (error) => this.logger.debug({ err: error }, "poll queue error"));
  }

  async start(handler: PollHandler, onLost?: () => void): Promise<void> {
    await this.queue.setGlobalConcurrency(this.options.concurrency);
    this.connections.queue.on("close", () => (this.queueWasDown = true));
    this.connections.queue.on("ready", () => {
      if (!this.queueWasDown || !this.worker) return;
      this.queueWasDown = false;
      // Redis may have come back empty: the queue's settings and every job must be restored.
      this.queue.setGlobalConcurrency(this.options.concurrency).then(
        () => onLost?.(),
        (error) => this.logger.warn({ err: error }, "restoring the poll queue's settings failed"),
      );
    });
    const lease = this.options.leaseMs;
    this.worker = new Worker<PollJobData>(
      QUEUE_NAME,
      (job, token) => this.process(handler, job, token),
      {
        connection: this.connections.worker,
        prefix: this.options.prefix,
        name: this.options.instanceId,
        concurrency: this.options.concurrency,
        limiter: { max: this.options.ratePerSecond, duration: RATE_WINDOW_MS },
        lockDuration: Math.round(lease * 0.8),
        stalledInterval: Math.round(lease * 0.2),
        maxStalledCount: NEVER_FAIL_ON_STALLS,
      },
    );
    this.worker.on("error", (error) =>
      this.logger.debug({ err: error }, "poll worker error (retrying)"),
    );
  }

  async schedule(taskId: string, delayMs: number): Promise<void> {
    // A job with this id that still exists (waiting, delayed or active) makes this a no-op.
    await this.queue.add(
      JOB_NAME,
      { failures: 0 },
      { jobId: taskId, delay: Math.max(0, Math.round(delayMs)) },
    );
  }

  async scheduled(): Promise<number> {
    return this.queue.getJobCountByTypes("waiting", "prioritized", "delayed", "active");
  }

  async stop(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    try {
      // A poll still running past the grace keeps its lock until it lapses; another instance then
      // takes the task over.
      await Promise.race([this.worker?.close(), grace]);
    } finally {
      clearTimeout(timer);
      await this.queue.close().catch(() => undefined);
    }
  }

  /** One poll; then either the job completes (no more polls) or waits, delayed, for the next. */
  private async process(
    handler: PollHandler,
    job: Job<PollJobData>,
    token: string | undefined,
  ): Promise<void> {
    const taskId = job.id!;
    const failures = job.data.failures ?? 0;
    let outcome;
    try {
      outcome = await handler(taskId, failures);
    } catch (error) {
      this.logger.error({ err: error, taskId }, "poll handler failed; retrying later");
      outcome = { nextInMs: HANDLER_FAULT_RETRY_MS, failures: failures + 1 };
    }
    if (outcome.nextInMs === null) return;
    try {
      if (outcome.failures !== failures) await job.updateData({ failures: outcome.failures });
      await job.moveToDelayed(Date.now() + outcome.nextInMs, token);
    } catch (error) {
      // Redis is unreachable (the job stays active; its lock lapses and a stalled check or the
      // periodic resume brings it back) or the lock was lost to another worker, which now owns it.
      this.logger.warn({ err: error, taskId }, "could not schedule a task's next poll");
    }
    // Tells BullMQ the job was moved, not finished (without it: "Missing lock" on completion).
    throw new DelayedError();
  }
}
