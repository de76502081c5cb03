import {
  ACTIVE_STATUSES,
  type TaskRecord,
  type TaskStatus,
  type TaskVideo,
} from "../../domain/task";
import type { IdempotencyKeyRecord } from "../../ports/task-store";

/** A `tasks` row as better-sqlite3 reads it: JSON columns as text, times in epoch milliseconds. */
export interface TaskRow {
  id: string;
  owner_id: string;
  upstream_task_id: string | null;
  status: string;
  provider_status: string;
  progress: number;
  version: number;
  request: string;
  video: string | null;
  error: string | null;
  estimated_total_seconds: number | null;
  upstream_missing_since: number | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

/** An `idempotency_keys` row. */
export interface KeyRow {
  request_hash: string;
  task_id: string;
  state: IdempotencyKeyRecord["state"];
  claimed_by: string;
  claimed_at: number;
  expires_at: number;
}

/** The unfinished statuses, as SQL. */
export const ACTIVE_IN = `status IN (${ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ")})`;

/** A task as its row. */
export function toRow(task: TaskRecord): TaskRow {
  return {
    id: task.id,
    owner_id: task.ownerId,
    upstream_task_id: task.upstreamTaskId,
    status: task.status,
    provider_status: task.providerStatus,
    progress: task.progress,
    version: task.version,
    request: JSON.stringify(task.request),
    video: task.video
      ? JSON.stringify({ ...task.video, expiresAt: task.video.expiresAt?.getTime() ?? null })
      : null,
    error: task.error ? JSON.stringify(task.error) : null,
    estimated_total_seconds: task.estimatedTotalSeconds,
    upstream_missing_since: task.upstreamMissingSince?.getTime() ?? null,
    created_at: task.createdAt.getTime(),
    updated_at: task.updatedAt.getTime(),
    completed_at: task.completedAt?.getTime() ?? null,
  };
}

export function toKeyRecord(row: KeyRow): IdempotencyKeyRecord {
  return {
    requestHash: row.request_hash,
    taskId: row.task_id,
    state: row.state,
    claimedBy: row.claimed_by,
    claimedAt: new Date(row.claimed_at),
  };
}

/** A row as the task it stores. */
export function fromRow(row: TaskRow): TaskRecord {
  const video = row.video
    ? (JSON.parse(row.video) as Omit<TaskVideo, "expiresAt"> & { expiresAt: number | null })
    : null;
  return {
    id: row.id,
    ownerId: row.owner_id,
    upstreamTaskId: row.upstream_task_id,
    status: row.status as TaskStatus,
    providerStatus: row.provider_status,
    progress: row.progress,
    version: row.version,
    request: JSON.parse(row.request),
    video: video
      ? { ...video, expiresAt: video.expiresAt === null ? null : new Date(video.expiresAt) }
      : null,
    error: row.error ? JSON.parse(row.error) : null,
    estimatedTotalSeconds: row.estimated_total_seconds,
    upstreamMissingSince:
      row.upstream_missing_since === null ? null : new Date(row.upstream_missing_since),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  };
}
