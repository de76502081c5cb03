import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal";
import type { Logger } from "../logger";
import type { TaskStore } from "../store/task-store";
import { TaskStatus, type TaskRecord } from "../tasks/task.model";
import type { UpstreamClient } from "../upstream/upstream.types";
import type { GenerationRequest } from "./generation.model";
import { submitErrorToClientError } from "./submit-errors";
import { toSubmitBody } from "./upstream-body";

/** Whoever polls accepted tasks; the submit service hands every new task to it. */
export interface TaskTracker {
  track(task: TaskRecord): void;
}

/** Submits validated requests upstream and records the accepted task under its owner. */
export class GenerationService {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly store: TaskStore,
    private readonly tracker: TaskTracker,
    private readonly logger: Logger,
  ) {}

  async submit(principal: Principal, request: GenerationRequest): Promise<TaskRecord> {
    let upstreamTaskId: string;
    try {
      ({ upstreamTaskId } = await this.upstream.submit(toSubmitBody(request)));
    } catch (error) {
      throw submitErrorToClientError(error, this.logger);
    }
    const now = new Date();
    const task: TaskRecord = {
      id: `vt_${randomUUID()}`,
      ownerId: principal.id,
      upstreamTaskId,
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
    await this.store.insert(task);
    this.logger.info({ taskId: task.id, upstreamTaskId, owner: principal.id }, "task accepted");
    this.tracker.track(task);
    return task;
  }
}
