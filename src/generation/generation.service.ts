import type { GenerationRequest } from "../domain/generation-request";
import type { Principal } from "../domain/principal";
import { newTask, newTaskId, TaskStatus, type TaskRecord } from "../domain/task";
import {
  BadUserInputError,
  IdempotencyKeyReusedError,
  QuotaExceededError,
  RateLimitedError,
  UpstreamUnavailableError,
} from "../errors/gateway-errors";
import type { ClaimedSubmit, IdempotencyGuard } from "../idempotency/idempotency.guard";
import { checkIdempotencyKey, requestFingerprint } from "../idempotency/idempotency-key";
import type { Logger } from "../observability/logger";
import {
  NO_METRICS,
  type GatewayMetrics,
  type SubmitOutcome,
  type SubmitRefusal,
} from "../ports/metrics";
import type { SubmitRateLimiter } from "../ports/submit-rate-limiter";
import type { AdmitResult, IdempotencyClaim, TaskStore } from "../ports/task-store";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";
import { DEFAULT_RETRY_AFTER_SECONDS, submitErrorToClientError } from "./submit-errors";

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

/** How one submit request is counted: its outcome, and why when it was refused. */
interface Counted {
  outcome: SubmitOutcome;
  reason?: SubmitRefusal;
}

/**
 * How a submit this request made itself ended, once the rate limit and the quota let it through:
 * the task (accepted upstream, confirmed in the store or not), or the error the client gets.
 */
type Submitted =
  | { outcome: "accepted"; task: TaskRecord }
  | { outcome: "outcome_unknown"; error: UpstreamUnavailableError }
  | { outcome: "refused"; reason: SubmitRefusal; error: unknown };

/** Why the store did not admit a keyed task: its key already named one. */
type KeyRefusal = Exclude<AdmitResult, { outcome: "admitted" | "over-quota" }>;

const REPLAYED: Counted = { outcome: "replayed" };

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

  constructor(private readonly deps: GenerationServiceDeps) {
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  /** Every request is counted once, here: by its own submit, as a replay, or by its refusal. */
  async submit(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey?: string | null,
  ): Promise<TaskRecord> {
    let submitted: Submitted | undefined;
    let shared = false;
    const submitOwn = async (taskId: string, claim?: IdempotencyClaim) => {
      const result = await this.whileSubmitting(this.submitNew(principal, request, taskId, claim));
      if (result.outcome === "replay" || result.outcome === "conflict") return result;
      submitted = result;
      if (result.outcome === "accepted") return result.task;
      throw result.error;
    };
    try {
      const task = await this.run(principal, request, idempotencyKey, submitOwn, () => {
        shared = true;
      });
      this.count(submitted ?? REPLAYED);
      return task;
    } catch (error) {
      // A request that joined another's submit in flight shares its answer, error or not.
      this.count(submitted ?? (shared ? REPLAYED : refusal(error)));
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

  /** Without a key, submits; with one, lets the idempotency guard decide whether to. */
  private async run(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey: string | null | undefined,
    submitOwn: (taskId: string, claim?: IdempotencyClaim) => Promise<TaskRecord | KeyRefusal>,
    onShare: () => void,
  ): Promise<TaskRecord> {
    if (idempotencyKey === undefined || idempotencyKey === null) {
      return (await submitOwn(newTaskId())) as TaskRecord; // no claim, so no key refusal
    }
    checkIdempotencyKey(idempotencyKey);
    const claimed: ClaimedSubmit = (claim, taskId) => submitOwn(taskId, claim);
    return this.deps.idempotency.run(
      principal.id,
      idempotencyKey,
      requestFingerprint(request),
      newTaskId,
      claimed,
      onShare,
    );
  }

  private count({ outcome, reason }: Counted): void {
    this.metrics.submit(outcome, reason);
    if (outcome === "accepted") this.metrics.taskEntered(TaskStatus.QUEUED);
  }

  /** Keeps the submit in `submitting` until it settles, for `drain`. */
  private whileSubmitting<T>(submit: Promise<T>): Promise<T> {
    this.submitting.add(submit);
    const forget = () => this.submitting.delete(submit);
    submit.then(forget, forget);
    return submit;
  }

  /** Rate limit, then quota + key + write-ahead in one store call, then the upstream submit. */
  private async submitNew(
    principal: Principal,
    request: GenerationRequest,
    taskId: string,
    claim?: IdempotencyClaim,
  ): Promise<Submitted | KeyRefusal> {
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
  private async submitAdmitted(task: TaskRecord): Promise<Submitted> {
    const { upstream, store, tracker, logger } = this.deps;
    let upstreamTaskId: string;
    try {
      // The task id is the upstream Idempotency-Key, so a resubmit while reconciling is safe.
      ({ upstreamTaskId } = await upstream.submit(task.request, { idempotencyKey: task.id }));
    } catch (error) {
      if (error instanceof UpstreamError && error.details.outcomeUnknown) {
        tracker.track(task);
        logger.warn({ taskId: task.id, kind: error.kind }, "submit outcome unknown; reconciling");
        const unknown = new UpstreamUnavailableError(
          `The video service did not confirm the request. It may have been accepted: task ${task.id} is being reconciled; follow it with task(id), or retry with the same idempotencyKey.`,
          { taskId: task.id, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS },
        );
        return { outcome: "outcome_unknown", error: unknown };
      }
      await store.discard(task.id).catch((discardError: unknown) => {
        // Left unconfirmed, it is reconciled: resubmitted, refused again, ended SUBMIT_FAILED.
        logger.error({ err: discardError, taskId: task.id }, "could not discard a refused task");
        tracker.track(task);
      });
      if (!(error instanceof UpstreamError)) throw error;
      const clientError = submitErrorToClientError(error, logger);
      return { outcome: "refused", reason: `upstream_${error.kind}`, error: clientError };
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
      return { outcome: "accepted", task };
    }
    logger.info({ taskId: task.id, upstreamTaskId, owner: task.ownerId }, "task accepted");
    const accepted = { ...task, upstreamTaskId };
    tracker.track(accepted);
    return { outcome: "accepted", task: accepted };
  }
}

/** How a request that made no upstream submit of its own and failed is counted. */
function refusal(error: unknown): Counted {
  const reason = refusalReason(error);
  return reason ? { outcome: "refused", reason } : { outcome: "failed" };
}

/** The refusal reason of an error a submit threw, or undefined for an unexpected one. */
function refusalReason(error: unknown): SubmitRefusal | undefined {
  if (error instanceof BadUserInputError) return "bad_input";
  if (error instanceof IdempotencyKeyReusedError) return "idempotency_key_reused";
  if (error instanceof QuotaExceededError) return "quota_exceeded";
  if (error instanceof RateLimitedError) return "rate_limited";
  return undefined;
}
