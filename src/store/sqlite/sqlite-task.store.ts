import type Database from "better-sqlite3";
import type { TaskChange, TaskRecord } from "../../domain/task";
import type {
  AdmitOptions,
  AdmitResult,
  IdempotencyKeyRecord,
  ListOptions,
  TaskPage,
  TaskStore,
} from "../../ports/task-store";
import { openDatabase, statementCache } from "./database";
import { ACTIVE_IN, fromRow, toKeyRecord, toRow, type KeyRow, type TaskRow } from "./task-rows";
import { inAskedOrder } from "../in-asked-order";

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
    // The common case (one task(id) per request) by primary key: half the time of the json_each form.
    if (ids.length === 1) return [await this.get(ids[0])];
    // One SQL text for any number of ids (a JSON array), so one prepared statement serves them all.
    const rows = this.sql("SELECT * FROM tasks WHERE id IN (SELECT value FROM json_each(?))").all(
      JSON.stringify(ids),
    ) as TaskRow[];
    return inAskedOrder(ids, rows.map(fromRow));
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
      // A JSON array, not a placeholder per status: four SQL texts in all, whatever the filter.
      where.push("status IN (SELECT value FROM json_each(@statuses))");
      params.statuses = JSON.stringify(options.statuses);
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
