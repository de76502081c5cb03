import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal";
import { UpstreamUnavailableError } from "../errors";
import type { IdempotencyGuard } from "../idempotency/idempotency.guard";
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
 * can refuse a request (key, rate, quota) runs before the upstream call, so a refusal costs nothing.
 */
export class GenerationService {
  constructor(private readonly deps: GenerationServiceDeps) {}

  async submit(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey?: string | null,
  ): Promise<TaskRecord> {
    if (idempotencyKey === undefined || idempotencyKey === null) {
      return this.submitOnce(principal, request);
    }
    checkIdempotencyKey(idempotencyKey);
    return this.deps.idempotency.run(
      principal.id,
      idempotencyKey,
      requestFingerprint(request),
      () => this.submitOnce(principal, request, idempotencyKey),
    );
  }

  private async submitOnce(
    principal: Principal,
    request: GenerationRequest,
    idempotencyKey?: string,
  ): Promise<TaskRecord> {
    const { upstream, store, tracker, logger } = this.deps;
    this.deps.rateLimiter.take(principal.id);
    const release = await this.deps.quota.reserve(principal.id);
    try {
      const task = newTask(principal, request);
      try {
        // The gateway's task id doubles as the upstream Idempotency-Key, so a resubmit can reconcile.
        ({ upstreamTaskId: task.upstreamTaskId } = await upstream.submit(toSubmitBody(request), {
          idempotencyKey: task.id,
        }));
      } catch (error) {
        if (!(error instanceof UpstreamError && error.details.outcomeUnknown)) {
          throw submitErrorToClientError(error, logger);
        }
        // The upstream may have accepted (and charged) it: keep the task and let the poller reconcile.
        await store.insert(task, idempotencyKey);
        tracker.track(task);
        logger.warn({ taskId: task.id, kind: error.kind }, "submit outcome unknown; reconciling");
        throw new UpstreamUnavailableError(
          `The video service did not confirm the request. It may have been accepted: task ${task.id} is being reconciled; follow it with task(id), or retry with the same idempotencyKey.`,
          { taskId: task.id, retryAfterSeconds: 5 },
        );
      }
      await store.insert(task, idempotencyKey);
      logger.info(
        { taskId: task.id, upstreamTaskId: task.upstreamTaskId, owner: principal.id },
        "task accepted",
      );
      tracker.track(task);
      return task;
    } finally {
      release();
    }
  }
}

function newTask(principal: Principal, request: GenerationRequest): TaskRecord {
  const now = new Date();
  return {
    id: `vt_${randomUUID()}`,
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
