import type { GenerationRequest } from "../domain/generation-request";
import type { Principal } from "../domain/principal";
import { newTask, newTaskId, type TaskRecord } from "../domain/task";
import { QuotaExceededError, UpstreamUnavailableError } from "../errors/gateway-errors";
import type { IdempotencyGuard } from "../idempotency/idempotency.guard";
import { checkIdempotencyKey, requestFingerprint } from "../idempotency/idempotency-key";
import type { Logger } from "../observability/logger";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";
import type { AdmitResult, IdempotencyClaim, TaskStore } from "../ports/task-store";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";
import { submitErrorToClientError } from "./submit-errors";

/** Whoever polls accepted tasks; the submit service hands every new task to it. */
export interface TaskTracker {
  track(task: TaskRecord): void;
}

export interface GenerationServiceDeps {
  upstream: UpstreamClient;
  store: TaskStore;
  tracker: TaskTracker;
  idempotency: IdempotencyGuard;
  rateLimiter: SubmitRateLimiter;
  /** Unfinished tasks per principal (`MAX_ACTIVE_TASKS_PER_CLIENT`); 0 = no limit. */
  maxActiveTasks: number;
  logger: Logger;
}

/**
 * Submits validated requests upstream and records the accepted task under its owner. Everything that
 * can refuse a request (key, rate, quota) runs before the upstream call, so a refusal costs nothing.
 * The task is written before the submit: a crash mid-submit leaves a task the poller reconciles on
 * restart, never a paid job nobody knows of.
 */
export class GenerationService {
  private readonly submitting = new Set<Promise<unknown>>();

  constructor(private readonly deps: GenerationServiceDeps) {}

  async submit(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey?: string | null,
  ): Promise<TaskRecord> {
    if (idempotencyKey === undefined || idempotencyKey === null) {
      return this.whileSubmitting(this.submitNew(principal, request, newTaskId()));
    }
    checkIdempotencyKey(idempotencyKey);
    return this.deps.idempotency.run(
      principal.id,
      idempotencyKey,
      requestFingerprint(request),
      newTaskId,
      (claim, taskId) => this.whileSubmitting(this.submitNew(principal, request, taskId, claim)),
    );
  }

  /** Waits (at most `timeoutMs`) for submits in flight, so a graceful stop does not cut them off. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.submitting]), timeout]);
    clearTimeout(timer);
  }

  /** Keeps the submit in `submitting` until it settles, for `drain`. */
  private whileSubmitting<T>(submit: Promise<T>): Promise<T> {
    this.submitting.add(submit);
    const forget = () => this.submitting.delete(submit);
    submit.then(forget, forget);
    return submit;
  }

  private submitNew(
    principal: Principal,
    request: GenerationRequest,
    taskId: string,
  ): Promise<TaskRecord>;
  private submitNew(
    principal: Principal,
    request: GenerationRequest,
    taskId: string,
    claim: IdempotencyClaim,
  ): Promise<TaskRecord | Exclude<AdmitResult, { outcome: "admitted" | "over-quota" }>>;
  private async submitNew(
    principal: Principal,
    request: GenerationRequest,
    taskId: string,
    claim?: IdempotencyClaim,
  ): Promise<TaskRecord | Exclude<AdmitResult, { outcome: "admitted" | "over-quota" }>> {
    const { store, rateLimiter } = this.deps;
    await rateLimiter.take(principal.id);
    const task = newTask(taskId, principal.id, request, new Date());
    let admitted: AdmitResult;
    try {
      admitted = await store.admit(task, {
        maxActivePerOwner: this.deps.maxActiveTasks,
        idempotency: claim,
      });
    } catch (error) {
      await rateLimiter.refund(principal.id);
      throw error;
    }
    if (admitted.outcome !== "admitted") {
      await rateLimiter.refund(principal.id);
      if (admitted.outcome !== "over-quota") return admitted;
      throw new QuotaExceededError(
        `At most ${this.deps.maxActiveTasks} unfinished tasks per client; wait for one to finish.`,
      );
    }
    return this.submitAdmitted(task);
  }

  /** Submits a task already written ahead; keeps it when the outcome is unknown, drops it when refused. */
  private async submitAdmitted(task: TaskRecord): Promise<TaskRecord> {
    const { upstream, store, tracker, logger } = this.deps;
    let upstreamTaskId: string;
    try {
      // The task id is the upstream Idempotency-Key, so a resubmit while reconciling is safe.
      ({ upstreamTaskId } = await upstream.submit(task.request, { idempotencyKey: task.id }));
    } catch (error) {
      if (error instanceof UpstreamError && error.details.outcomeUnknown) {
        tracker.track(task);
        logger.warn({ taskId: task.id, kind: error.kind }, "submit outcome unknown; reconciling");
        throw new UpstreamUnavailableError(
          `The video service did not confirm the request. It may have been accepted: task ${task.id} is being reconciled; follow it with task(id), or retry with the same idempotencyKey.`,
          { taskId: task.id, retryAfterSeconds: 5 },
        );
      }
      await store.discard(task.id);
      throw submitErrorToClientError(error, logger);
    }
    try {
      await store.confirmSubmit(task.id, upstreamTaskId);
    } catch (error) {
      // Accepted upstream but not recorded (the store went away meanwhile): the task was written
      // ahead, so the poller reconciles it under the same Idempotency-Key once the store answers,
      // rather than at the next restart.
      tracker.track(task);
      throw error;
    }
    logger.info({ taskId: task.id, upstreamTaskId, owner: task.ownerId }, "task accepted");
    const accepted = { ...task, upstreamTaskId };
    tracker.track(accepted);
    return accepted;
  }
}
