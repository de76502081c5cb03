import { randomUUID } from "node:crypto";
import type { TaskErrorCode } from "./error-codes";
import type { GenerationRequest } from "./generation-request";

export enum TaskStatus {
  QUEUED = "QUEUED",
  PROCESSING = "PROCESSING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}

export const ACTIVE_STATUSES: readonly TaskStatus[] = [TaskStatus.QUEUED, TaskStatus.PROCESSING];

export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  TaskStatus.SUCCEEDED,
  TaskStatus.FAILED,
  TaskStatus.CANCELLED,
]);

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.has(status);

export interface TaskVideo {
  url: string;
  thumbnailUrl: string | null;
  expiresAt: Date | null;
}

export interface TaskFailure {
  code: TaskErrorCode;
  /** Safe to show to an end user. */
  message: string;
}

/** A task as the store keeps it. `version` grows by one on every stored change. */
export interface TaskRecord {
  id: string;
  ownerId: string;
  /** Null while the upstream has not confirmed the submit (its answer was lost); the poller reconciles. */
  upstreamTaskId: string | null;
  status: TaskStatus;
  /** The upstream's own status string, kept verbatim (also when we do not know it). */
  providerStatus: string;
  progress: number;
  version: number;
  request: GenerationRequest;
  video: TaskVideo | null;
  error: TaskFailure | null;
  /** Seconds the upstream expects the whole job to take, if it said. */
  estimatedTotalSeconds: number | null;
  /**
   * When the upstream first answered that it does not know this (confirmed) task, in the current
   * run of such answers; null while it knows it. Kept with the task, so the time survives restarts
   * and counts whichever instance polls.
   */
  upstreamMissingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** The fields a stored change may touch; `version` and `updatedAt` are the store's business. */
export type TaskChange = Partial<
  Pick<
    TaskRecord,
    | "upstreamTaskId"
    | "status"
    | "providerStatus"
    | "progress"
    | "video"
    | "error"
    | "estimatedTotalSeconds"
    | "completedAt"
  >
>;

/** A task as it is first written, before its upstream submit: QUEUED, version 1, no upstream id yet. */
export function newTask(
  id: string,
  ownerId: string,
  request: GenerationRequest,
  now: Date,
): TaskRecord {
  return {
    id,
    ownerId,
    upstreamTaskId: null,
    status: TaskStatus.QUEUED,
    providerStatus: "submitted",
    progress: 0,
    version: 1,
    request,
    video: null,
    error: null,
    estimatedTotalSeconds: null,
    upstreamMissingSince: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}

/** A new task id; the same id is the upstream `Idempotency-Key` of the task's submit. */
export const newTaskId = (): string => `vt_${randomUUID()}`;
