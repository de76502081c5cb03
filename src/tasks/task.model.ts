import type { GenerationRequest } from "../generation/generation.model";

export enum TaskStatus {
  QUEUED = "QUEUED",
  PROCESSING = "PROCESSING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}

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
  /** Stable machine code, e.g. `GENERATION_FAILED` or `TIMED_OUT`. */
  code: string;
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
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}
