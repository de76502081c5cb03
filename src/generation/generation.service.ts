import type { GenerationRequest } from "../domain/generation-request";
import type { Principal } from "../domain/principal";
import { newTask, newTaskId, type TaskRecord } from "../domain/task";
import {
  BadUserInputError,
  IdempotencyKeyReusedError,
  QuotaExceededError,
  RateLimitedError,
  UpstreamUnavailableError,
} from "../errors/gateway-errors";
import type { IdempotencyGuard } from "../idempotency/idempotency.guard";
import { checkIdempotencyKey, requestFingerprint } from "../idempotency/idempotency-key";
import type { Logger } from "../observability/logger";
import { NO_METRICS, type GatewayMetrics, type SubmitRefusal } from "../ports/metrics";
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
  /**
   * Counts submits by outcome and refusal reason, and QUEUED for each accepted task.
   * @default NO_METRICS
   */
  metrics?: GatewayMetrics;
  logger: Logger;
}

/**
 * Submits validated requests upstream and records the accepted task under its owner. Everything that
 * can refuse a request (key, rate, quota) runs before the upstream call, so a refusal costs nothing.
 * The task is written before the submit: a crash mid-submit leaves a task the poller reconciles on
 * restart, never a paid job nobody knows of. Once the upstream has accepted, the client gets the task
 * even if the store then fails to record that (a full disk): the poller reconciles it.
 */
export class GenerationService {
  private readonly submitting = new Set<Promise<unknown>>();
  private readonly metrics: GatewayMetrics;
  /** Errors whose outcome `submitAdmitted` has already counted (it knows the upstream's reason). */
  private readonly counted = new WeakSet<object>();

  constructor(private readonly deps: GenerationServiceDeps) {
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  async submit(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey?: string | null,
  ): Promise<TaskRecord> {
    let submitted = false;
    try {
      if (idempotencyKey === undefined || idempotencyKey === null) {
        submitted = true;
        return await this.whileSubmitting(this.submitNew(principal, request, newTaskId()));
      }
      checkIdempotencyKey(idempotencyKey);
      const task = await this.deps.idempotency.run(
        principal.id,
        idempotencyKey,
        requestFingerprint(request),
        newTaskId,
        (claim, taskId) => {
          submitted = true;
          return this.whileSubmitting(this.submitNew(principal, request, taskId, claim));
        },
      );
      // A key that named an existing task: no upstream call (an admit that lost a race counts too).
      if (!submitted || !this.counted.has(task)) this.metrics.submit("replayed");
      return task;
    } catch (error) {
      if (typeof error !== "object" || error === null || !this.counted.has(error)) {
        const reason = refusalReason(error);
        this.metrics.submit(reason ? "refused" : "failed", reason);
      }
      throw error;
    }
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
        this.metrics.submit("outcome_unknown");
        throw this.countedError(
          new UpstreamUnavailableError(
            `The video service did not confirm the request. It may have been accepted: task ${task.id} is being reconciled; follow it with task(id), or retry with the same idempotencyKey.`,
            { taskId: task.id, retryAfterSeconds: 5 },
          ),
        );
      }
      await store.discard(task.id).catch((discardError: unknown) => {
        // Left unconfirmed, it is reconciled: resubmitted, refused again, ended SUBMIT_FAILED.
        logger.error({ err: discardError, taskId: task.id }, "could not discard a refused task");
        tracker.track(task);
      });
      if (error instanceof UpstreamError) this.metrics.submit("refused", `upstream_${error.kind}`);
      const clientError = submitErrorToClientError(error, logger);
      throw error instanceof UpstreamError ? this.countedError(clientError) : clientError;
    }
    try {
      await store.confirmSubmit(task.id, upstreamTaskId);
    } catch (error) {
      // The upstream has the task, so the client must too. It was written ahead and stays
      // unconfirmed: the poller reconciles it, and the resubmit under its Idempotency-Key answers
      // with this same upstream task.
      logger.error(
        { err: error, taskId: task.id, upstreamTaskId },
        "submit accepted upstream but not confirmed in the store; it will be reconciled",
      );
      tracker.track(task);
      return task;
    }
    logger.info({ taskId: task.id, upstreamTaskId, owner: task.ownerId }, "task accepted");
    const accepted = { ...task, upstreamTaskId };
    this.metrics.submit("accepted");
    this.metrics.taskEntered(accepted.status);
    this.counted.add(accepted);
    tracker.track(accepted);
    return accepted;
  }

  private countedError<T>(error: T): T {
    if (typeof error === "object" && error !== null) this.counted.add(error);
    return error;
  }
}

/** The refusal reason of an error a submit threw, or undefined for an unexpected one. */
function refusalReason(error: unknown): SubmitRefusal | undefined {
  if (error instanceof BadUserInputError) return "bad_input";
  if (error instanceof IdempotencyKeyReusedError) return "idempotency_key_reused";
  if (error instanceof QuotaExceededError) return "quota_exceeded";
  if (error instanceof RateLimitedError) return "rate_limited";
  return undefined;
}
