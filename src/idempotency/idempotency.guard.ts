import { randomUUID } from "node:crypto";
import { IdempotencyKeyReusedError, UpstreamUnavailableError } from "../errors";
import type { TaskStore } from "../store/task-store";
import type { TaskRecord } from "../tasks/task.model";
import type { IdempotencyStore } from "./idempotency.store";

export interface IdempotencyGuardOptions {
  /** How long a key is remembered (configured by IDEMPOTENCY_TTL_HOURS). */
  ttlMs: number;
  /** A claim pending this long is taken to be abandoned (its process died mid-submit). */
  abandonAfterMs: number;
  /** How long a request waits for a same-key request that another process is submitting. */
  maxWaitMs: number;
}

/** New task ids; the same id is the upstream `Idempotency-Key` of the task's submit. */
export const newTaskId = (): string => `vt_${randomUUID()}`;

/**
 * Runs a submit at most once per (principal, key, input): a replay returns the first task; the same key
 * with another input is refused; requests racing one in flight share its outcome. A failed submit that
 * left no task releases the key, so a later retry may try again; one that left a task (outcome unknown)
 * completes it, so replays return that task.
 */
export class IdempotencyGuard {
  private readonly inFlight = new Map<string, { requestHash: string; task: Promise<TaskRecord> }>();

  constructor(
    private readonly keys: IdempotencyStore,
    private readonly tasks: Pick<TaskStore, "get">,
    private readonly options: IdempotencyGuardOptions,
  ) {}

  async run(
    ownerId: string,
    key: string,
    requestHash: string,
    submit: (taskId: string) => Promise<TaskRecord>,
  ): Promise<TaskRecord> {
    const slot = `${ownerId}\u0000${key}`;
    const waitUntil = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const here = this.inFlight.get(slot);
      if (here && here.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
      if (here) return here.task;
      const taskId = newTaskId();
      const claim = await this.keys.claim({
        ownerId,
        key,
        requestHash,
        taskId,
        now: new Date(),
        ttlMs: this.options.ttlMs,
        abandonAfterMs: this.options.abandonAfterMs,
      });
      if (claim.outcome === "conflict") throw new IdempotencyKeyReusedError(key);
      if (claim.outcome === "replay") return this.replay(ownerId, claim.taskId);
      if (claim.outcome === "claimed") {
        const attempt = this.attempt(ownerId, key, taskId, submit);
        this.inFlight.set(slot, { requestHash, task: attempt });
        try {
          return await attempt;
        } finally {
          this.inFlight.delete(slot);
        }
      }
      // In flight in another process (this one would have found it above): wait for its outcome.
      if (Date.now() >= waitUntil) {
        throw new UpstreamUnavailableError(
          "A request with this idempotencyKey is still being submitted; retry shortly.",
          { retryAfterSeconds: 1 },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async attempt(
    ownerId: string,
    key: string,
    taskId: string,
    submit: (taskId: string) => Promise<TaskRecord>,
  ): Promise<TaskRecord> {
    try {
      const task = await submit(taskId);
      await this.keys.complete(ownerId, key, taskId);
      return task;
    } catch (error) {
      if (await this.tasks.get(taskId)) await this.keys.complete(ownerId, key, taskId);
      else await this.keys.release(ownerId, key, taskId);
      throw error;
    }
  }

  private async replay(ownerId: string, taskId: string): Promise<TaskRecord> {
    const task = await this.tasks.get(taskId);
    if (task) return task;
    throw new Error(`idempotency key of ${ownerId} points at missing task ${taskId}`);
  }
}
