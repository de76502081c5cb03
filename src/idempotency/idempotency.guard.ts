import { IdempotencyKeyReusedError, UpstreamUnavailableError } from "../errors";
import type { TaskStore } from "../store/task-store";
import type { TaskRecord } from "../tasks/task.model";
import type { IdempotencyStore } from "./idempotency.store";

export interface IdempotencyGuardOptions {
  /** How long a key is remembered. @default 24 h */
  ttlMs: number;
  /** A claim pending this long is taken to be abandoned (its process died mid-submit). */
  abandonAfterMs: number;
  /** How long a request waits for a same-key request in flight in another process. */
  maxWaitMs: number;
}

/**
 * Runs a submit at most once per (principal, key, input): a replay returns the first task; the same key
 * with another input is refused; a request racing one in flight waits for its outcome. A failed submit
 * releases the key, so a retry may try again; a submit whose outcome is unknown stored its task, which
 * replays then return.
 */
export class IdempotencyGuard {
  private readonly inFlight = new Map<string, Promise<TaskRecord>>();

  constructor(
    private readonly keys: IdempotencyStore,
    private readonly tasks: Pick<TaskStore, "get">,
    private readonly options: IdempotencyGuardOptions,
  ) {}

  async run(
    ownerId: string,
    key: string,
    requestHash: string,
    submit: () => Promise<TaskRecord>,
  ): Promise<TaskRecord> {
    const slot = `${ownerId}\u0000${key}`;
    const waitUntil = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const claim = await this.keys.claim({
        ownerId,
        key,
        requestHash,
        now: new Date(),
        ttlMs: this.options.ttlMs,
        abandonAfterMs: this.options.abandonAfterMs,
      });
      if (claim.outcome === "conflict") throw new IdempotencyKeyReusedError(key);
      if (claim.outcome === "replay") {
        const task = await this.tasks.get(claim.taskId);
        if (task) return task;
        throw new Error(`idempotency key of ${ownerId} points at missing task ${claim.taskId}`);
      }
      if (claim.outcome === "claimed") {
        const attempt = submit();
        this.inFlight.set(slot, attempt);
        try {
          return await attempt;
        } catch (error) {
          await this.keys.release(ownerId, key); // keeps the key when the attempt stored a task
          throw error;
        } finally {
          this.inFlight.delete(slot);
        }
      }
      const here = this.inFlight.get(slot);
      if (here) {
        await here.catch(() => undefined);
      } else if (Date.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else {
        throw new UpstreamUnavailableError(
          "A request with this idempotencyKey is still being submitted; retry shortly.",
          { retryAfterSeconds: 1 },
        );
      }
    }
  }
}
