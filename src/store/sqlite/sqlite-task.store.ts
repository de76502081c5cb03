import type Database from "better-sqlite3";
import {
  ACTIVE_STATUSES,
  type TaskChange,
  type TaskRecord,
  type TaskStatus,
  type TaskVideo,
} from "../../domain/task";
import type {
  AdmitOptions,
  AdmitResult,
  IdempotencyKeyRecord,
  ListOptions,
  TaskPage,
  TaskStore,
} from "../../ports/task-store";
import { openDatabase, statementCache } from "./database";

interface TaskRow {
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

interface KeyRow {
  request_hash: string;
  task_id: string;
  state: IdempotencyKeyRecord["state"];
  claimed_by: string;
  claimed_at: number;
  expires_at: number;
}

const ACTIVE_IN = `status IN (${ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ")})`;

/**
 * The single-node store: one SQLite file in WAL mode, tasks and their idempotency keys together.
 * Admitting runs as one IMMEDIATE transaction, which holds SQLite's write lock from its first read,
 * so the count of active tasks and the insert cannot interleave with another admit.
 */
export class SqliteTaskStore implements TaskStore {
  private readonly db: Database.Database;
  private readonly sql: (sql: string) => Database.Statement;

  /** @param source a file path (opened and migrated here) or an open database */
  constructor(source: string | Database.Database) {
    this.db = typeof source === "string" ? openDatabase(source) : source;
    this.sql = statementCache(this.db);
  }

  async admit(task: TaskRecord, options: AdmitOptions): Promise<AdmitResult> {
    const { idempotency, maxActivePerOwner } = options;
    return this.db
      .transaction((): AdmitResult => {
        if (idempotency) {
          const row = this.keyRow(task.ownerId, idempotency.key, Date.now());
          if (row && row.request_hash !== idempotency.requestHash) return { outcome: "conflict" };
          if (row) return { outcome: "replay", key: toKeyRecord(row) };
        }
        if (maxActivePerOwner > 0) {
          const { n } = this.sql(
            `SELECT count(*) AS n FROM tasks WHERE owner_id = ? AND ${ACTIVE_IN}`,
          ).get(task.ownerId) as { n: number };
          if (n >= maxActivePerOwner) return { outcome: "over-quota" };
        }
        this.sql(
          `INSERT INTO tasks (id, owner_id, upstream_task_id, status, provider_status, progress, version,
               request, video, error, estimated_total_seconds, upstream_missing_since, created_at,
               updated_at, completed_at)
             VALUES (@id, @owner_id, @upstream_task_id, @status, @provider_status, @progress, @version,
               @request, @video, @error, @estimated_total_seconds, @upstream_missing_since, @created_at,
               @updated_at, @completed_at)`,
        ).run(toRow(task));
        if (idempotency) {
          this.sql(
            `INSERT OR REPLACE INTO idempotency_keys
                 (owner_id, key, request_hash, task_id, state, claimed_by, claimed_at, expires_at)
               VALUES (?, ?, ?, ?, 'submitting', ?, ?, ?)`,
          ).run(
            task.ownerId,
            idempotency.key,
            idempotency.requestHash,
            task.id,
            idempotency.claimedBy,
            task.createdAt.getTime(),
            idempotency.expiresAt.getTime(),
          );
        }
        return { outcome: "admitted" };
      })
      .immediate();
  }

  async findKey(ownerId: string, key: string, now: Date): Promise<IdempotencyKeyRecord | null> {
    const row = this.keyRow(ownerId, key, now.getTime());
    return row ? toKeyRecord(row) : null;
  }

  async settleKey(ownerId: string, key: string, taskId: string): Promise<void> {
    this.sql(
      "UPDATE idempotency_keys SET state = 'settled' WHERE owner_id = ? AND key = ? AND task_id = ?",
    ).run(ownerId, key, taskId);
  }

  async purgeExpiredKeys(now: Date): Promise<number> {
    return this.sql("DELETE FROM idempotency_keys WHERE expires_at <= ?").run(now.getTime())
      .changes;
  }

  /** The key's row when it is live: not expired, and naming a task that exists. */
  private keyRow(ownerId: string, key: string, at: number): KeyRow | undefined {
    return this.sql(
      `SELECT k.* FROM idempotency_keys k JOIN tasks t ON t.id = k.task_id
         WHERE k.owner_id = ? AND k.key = ? AND k.expires_at > ?`,
    ).get(ownerId, key, at) as KeyRow | undefined;
  }

  async confirmSubmit(id: string, upstreamTaskId: string): Promise<void> {
    this.sql("UPDATE tasks SET upstream_task_id = ? WHERE id = ? AND upstream_task_id IS NULL").run(
      upstreamTaskId,
      id,
    );
  }

  async markUpstreamMissing(id: string, at: Date): Promise<Date | null> {
    const since = this.sql(
      `UPDATE tasks SET upstream_missing_since = COALESCE(upstream_missing_since, ?) WHERE id = ?
         RETURNING upstream_missing_since`,
    )
      .pluck()
      .get(at.getTime(), id) as number | undefined;
    return since === undefined ? null : new Date(since);
  }

  async clearUpstreamMissing(id: string): Promise<void> {
    this.sql("UPDATE tasks SET upstream_missing_since = NULL WHERE id = ?").run(id);
  }

  async discard(id: string): Promise<void> {
    this.db.transaction(() => {
      this.sql("DELETE FROM idempotency_keys WHERE task_id = ?").run(id);
      this.sql("DELETE FROM tasks WHERE id = ?").run(id);
    })();
  }

  async get(id: string): Promise<TaskRecord | null> {
    const row = this.sql("SELECT * FROM tasks WHERE id = ?").get(id) as TaskRow | undefined;
    return row ? fromRow(row) : null;
  }

  async getMany(ids: readonly string[]): Promise<Array<TaskRecord | null>> {
    if (ids.length === 0) return [];
    const rows = this.sql(`SELECT * FROM tasks WHERE id IN (${ids.map(() => "?").join(",")})`).all(
      ...ids,
    ) as TaskRow[];
    const byId = new Map(rows.map((row) => [row.id, fromRow(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async update(
    id: string,
    expectedVersion: number,
    change: TaskChange,
  ): Promise<TaskRecord | null> {
    return this.db.transaction(() => {
      const row = this.sql("SELECT * FROM tasks WHERE id = ?").get(id) as TaskRow | undefined;
      if (!row || row.version !== expectedVersion) return null;
      const next: TaskRecord = {
        ...fromRow(row),
        ...change,
        version: expectedVersion + 1,
        updatedAt: new Date(),
      };
      this.sql(
        `UPDATE tasks SET upstream_task_id = @upstream_task_id, status = @status, provider_status = @provider_status, progress = @progress,
             version = @version, video = @video, error = @error,
             estimated_total_seconds = @estimated_total_seconds, updated_at = @updated_at,
             completed_at = @completed_at
           WHERE id = @id`,
      ).run(toRow(next));
      return next;
    })();
  }

  async listByOwner(ownerId: string, options: ListOptions): Promise<TaskPage> {
    const where = ["owner_id = @ownerId"];
    const params: Record<string, unknown> = { ownerId, limit: options.first + 1 };
    if (options.after) {
      where.push("(created_at < @afterCreated OR (created_at = @afterCreated AND id < @afterId))");
      params.afterCreated = options.after.createdAt.getTime();
      params.afterId = options.after.id;
    }
    if (options.statuses && options.statuses.length > 0) {
      where.push(`status IN (${options.statuses.map((_, i) => `@status${i}`).join(",")})`);
      options.statuses.forEach((status, i) => (params[`status${i}`] = status));
    }
    const rows = this.sql(
      `SELECT * FROM tasks WHERE ${where.join(" AND ")}
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ).all(params) as TaskRow[];
    return {
      tasks: rows.slice(0, options.first).map(fromRow),
      hasNextPage: rows.length > options.first,
    };
  }

  async listActiveIds(): Promise<string[]> {
    return this.sql(`SELECT id FROM tasks WHERE ${ACTIVE_IN} ORDER BY created_at ASC`)
      .pluck()
      .all() as string[];
  }

  async ping(): Promise<void> {
    this.sql("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRow(task: TaskRecord): TaskRow {
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

function toKeyRecord(row: KeyRow): IdempotencyKeyRecord {
  return {
    requestHash: row.request_hash,
    taskId: row.task_id,
    state: row.state,
    claimedBy: row.claimed_by,
    claimedAt: new Date(row.claimed_at),
  };
}

function fromRow(row: TaskRow): TaskRecord {
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
