import type { GenerationRequest } from "../../domain/generation-request";
import {
  ACTIVE_STATUSES,
  type TaskChange,
  type TaskFailure,
  type TaskRecord,
  type TaskStatus,
  type TaskVideo,
} from "../../domain/task";
import type { IdempotencyKeyRecord, ListOptions } from "../../ports/task-store";

/** A video as `tasks.video` keeps it: the expiry in epoch milliseconds, like every JSON form of a task. */
type VideoJson = Omit<TaskVideo, "expiresAt"> & { expiresAt: number | null };

/** A `tasks` row as node-postgres reads it: `jsonb` parsed, `timestamptz` as a Date. */
export interface TaskRow {
  id: string;
  owner_id: string;
  upstream_task_id: string | null;
  status: string;
  provider_status: string;
  progress: number;
  version: number;
  request: GenerationRequest;
  video: VideoJson | null;
  error: TaskFailure | null;
  estimated_total_seconds: number | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface KeyRow {
  request_hash: string;
  task_id: string;
  state: IdempotencyKeyRecord["state"];
  claimed_by: string;
  claimed_at: Date;
}

/** Matches the partial indexes' predicate word for word, so the planner can use them. */
export const ACTIVE_IN = `status IN (${ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ")})`;

const same = (value: unknown) => value;
const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/** Each field's column and how its value is written (`jsonb` as JSON text). */
const COLUMNS: {
  [K in keyof TaskRecord]: [column: string, encode: (value: TaskRecord[K]) => unknown];
} = {
  id: ["id", same],
  ownerId: ["owner_id", same],
  upstreamTaskId: ["upstream_task_id", same],
  status: ["status", same],
  providerStatus: ["provider_status", same],
  progress: ["progress", same],
  version: ["version", same],
  request: ["request", json],
  video: [
    "video",
    (video) => json(video && { ...video, expiresAt: video.expiresAt?.getTime() ?? null }),
  ],
  error: ["error", json],
  estimatedTotalSeconds: ["estimated_total_seconds", same],
  createdAt: ["created_at", same],
  updatedAt: ["updated_at", same],
  completedAt: ["completed_at", same],
};

/** The columns and values of the fields present in `fields` (an absent or undefined field is skipped). */
export function toColumns(fields: Partial<TaskRecord> | TaskChange): {
  names: string[];
  values: unknown[];
} {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const field of Object.keys(fields) as Array<keyof TaskRecord>) {
    const value = (fields as Partial<TaskRecord>)[field];
    if (value === undefined) continue;
    const [column, encode] = COLUMNS[field] as [string, (value: unknown) => unknown];
    names.push(column);
    values.push(encode(value));
  }
  return { names, values };
}

export function fromRow(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    upstreamTaskId: row.upstream_task_id,
    status: row.status as TaskStatus,
    providerStatus: row.provider_status,
    progress: row.progress,
    version: row.version,
    request: row.request,
    video: row.video && {
      ...row.video,
      expiresAt: row.video.expiresAt === null ? null : new Date(row.video.expiresAt),
    },
    error: row.error,
    estimatedTotalSeconds: row.estimated_total_seconds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export function toKeyRecord(row: KeyRow): IdempotencyKeyRecord {
  return {
    requestHash: row.request_hash,
    taskId: row.task_id,
    state: row.state,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
  };
}

/**
 * An owner's page, newest first: a keyset on `(created_at, id)` that `tasks_by_owner` serves, one row
 * more than asked to tell whether another page follows. Exported so a test can EXPLAIN it.
 */
export function listByOwnerQuery(
  ownerId: string,
  options: ListOptions,
): { text: string; values: unknown[] } {
  const values: unknown[] = [ownerId];
  const where = ["owner_id = $1"];
  if (options.after) {
    values.push(options.after.createdAt, options.after.id);
    where.push("(created_at, id) < ($2, $3)");
  }
  if (options.statuses && options.statuses.length > 0) {
    values.push(options.statuses);
    where.push(`status = ANY($${values.length}::text[])`);
  }
  values.push(options.first + 1);
  return {
    text: `SELECT * FROM tasks WHERE ${where.join(" AND ")}
             ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  };
}
