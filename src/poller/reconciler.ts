import type { TaskChange, TaskRecord } from "../domain/task";
import { submitFailedChange } from "../domain/task-transitions";
import type { Logger } from "../observability/logger";
import type { TaskStore } from "../ports/task-store";
import { UpstreamError, type UpstreamClient } from "../ports/upstream-client";

/** Stores a change (version + 1) and publishes it; resolves with the task as stored. */
export type TaskChangeSink = (task: TaskRecord, change: TaskChange) => Promise<TaskRecord>;

export interface ReconcilerOptions {
  /**
   * Resubmit unconfirmed tasks under their original `Idempotency-Key` (`RECONCILE_BY_RESUBMIT`). Safe
   * only when the upstream honours that header (APIMart's opt-in idempotent submit); off, such tasks
   * fail for an operator to check, and nothing is submitted twice.
   */
  resubmit: boolean;
}

/**
 * Settles tasks whose submit was never confirmed (the answer was lost, or the process died mid-submit):
 * resubmitted under the same `Idempotency-Key` (the gateway's task id), the upstream answers with the
 * task the first attempt created, or creates it now.
 */
export class Reconciler {
  constructor(
    private readonly store: TaskStore,
    private readonly upstream: UpstreamClient,
    private readonly apply: TaskChangeSink,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {}

  /** Resolves "confirmed" (keep polling) or "ended"; throws an UpstreamError worth retrying. */
  async reconcile(task: TaskRecord): Promise<"confirmed" | "ended"> {
    if (!this.options.resubmit) {
      this.logger.error({ taskId: task.id }, "unconfirmed submit: check the upstream by hand");
      await this.apply(
        task,
        submitFailedChange(
          "The video service did not confirm the request; it was not retried, to avoid a second charge.",
          new Date(),
        ),
      );
      return "ended";
    }
    try {
      const { upstreamTaskId } = await this.upstream.submit(task.request, {
        idempotencyKey: task.id,
      });
      await this.store.confirmSubmit(task.id, upstreamTaskId);
      this.logger.info({ taskId: task.id, upstreamTaskId }, "reconciled an unconfirmed submit");
      return "confirmed";
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.transient || error.kind === "misconfigured") {
        throw error;
      }
      const message =
        error.kind === "payment_required"
          ? "The video service's balance is exhausted; the video was not generated."
          : "The video service refused the request; the video was not generated.";
      await this.apply(task, submitFailedChange(message, new Date()));
      return "ended";
    }
  }
}
