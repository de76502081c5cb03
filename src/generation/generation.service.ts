import type { Principal } from "../auth/principal";
import { UpstreamUnavailableError } from "../errors";
import { newTaskId, type IdempotencyGuard } from "../idempotency/idempotency.guard";
import { checkIdempotencyKey, requestFingerprint } from "../idempotency/idempotency-key";
import type { Logger } from "../logger";
import type { ActiveTaskQuota } from "../quotas/active-task.quota";
import type { SubmitRateLimiter } from "../quotas/submit-rate.limiter";
import type { TaskStore } from "../store/task-store";
import { TaskStatus, type TaskRecord } from "../tasks/task.model";
import { UpstreamError, type UpstreamClient } from "../upstream/upstream.types";
import type { GenerationRequest } from "./generation.model";
import { submitErrorToClientError } from "./submit-errors";
import { toSubmitBody } from "./upstream-body";

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
  quota: ActiveTaskQuota;
  logger: Logger;
}

/**
 * Submits validated requests upstream and records the accepted task under its owner. Everything that
 * can refuse a request (key, quota, rate) runs before the upstream call, so a refusal costs nothing.
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
      return this.whileSubmitting(this.submitOnce(principal, request, newTaskId()));
    }
    checkIdempotencyKey(idempotencyKey);
    return this.deps.idempotency.run(
      principal.id,
      idempotencyKey,
      requestFingerprint(request),
      (id) => this.whileSubmitting(this.submitOnce(principal, request, id)),
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

  private async submitOnce(
    principal: Principal,
    request: GenerationRequest,
    taskId: string,
  ): Promise<TaskRecord> {
    const { upstream, store, tracker, logger } = this.deps;
    const release = await this.deps.quota.reserve(principal.id);
    try {
      this.deps.rateLimiter.take(principal.id);
      const task = newTask(taskId, principal, request);
      await store.insert(task);
      let upstreamTaskId: string;
      try {
        // The task id is the upstream Idempotency-Key, so a resubmit while reconciling is safe.
        ({ upstreamTaskId } = await upstream.submit(toSubmitBody(request), {
          idempotencyKey: task.id,
        }));
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
      await store.confirmSubmit(task.id, upstreamTaskId);
      logger.info({ taskId: task.id, upstreamTaskId, owner: principal.id }, "task accepted");
      const accepted = { ...task, upstreamTaskId };
      tracker.track(accepted);
      return accepted;
    } finally {
      release();
    }
  }
}

function newTask(id: string, principal: Principal, request: GenerationRequest): TaskRecord {
  const now = new Date();
  return {
    id,
    ownerId: principal.id,
    upstreamTaskId: null,
    status: TaskStatus.QUEUED,
    providerStatus: "submitted",
    progress: 0,
    version: 1,
    request,
    video: null,
    error: null,
    estimatedTotalSeconds: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}
