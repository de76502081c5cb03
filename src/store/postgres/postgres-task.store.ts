import type { TaskChange, TaskRecord } from "../../domain/task";
import type { Logger } from "../../observability/logger";
import type {
  AdmitOptions,
  AdmitResult,
  IdempotencyKeyRecord,
  ListOptions,
  TaskPage,
  TaskStore,
} from "../../ports/task-store";
import { createPool, migrate, type PostgresConnectionOptions } from "./database";
import { GuardedPool, type Queryable } from "./guarded-pool";
import {
  ACTIVE_IN,
  fromRow,
  listByOwnerQuery,
  toColumns,
  toKeyRecord,
  type KeyRow,
  type TaskRow,
} from "./task-rows";
import { inAskedOrder } from "../in-asked-order";

export interface PostgresStoreOptions extends PostgresConnectionOptions {
  logger: Logger;
}

const KEY_COLUMNS = "request_hash, task_id, state, claimed_by, claimed_at";

/**
 * The shared store: tasks and their idempotency keys in PostgreSQL, for one instance or several.
 * Admitting with a quota or a key runs in one transaction under an advisory lock per owner, so the
 * key check, the count of active tasks and the inserts cannot interleave with another admit of
 * that owner on any instance.
 * When PostgreSQL is unreachable or too slow, operations reject with a StoreUnavailableError.
 */
export class PostgresTaskStore implements TaskStore {
  private constructor(private readonly db: GuardedPool) {}

  /** Migrates the database, then opens the pool; rejects with PostgreSQL's own error on failure. */
  static async open(options: PostgresStoreOptions): Promise<PostgresTaskStore> {
    await migrate(options);
    return new PostgresTaskStore(
      new GuardedPool(createPool(options, options.logger), options.logger),
    );
  }

  async admit(task: TaskRecord, options: AdmitOptions): Promise<AdmitResult> {
    const { idempotency, maxActivePerOwner } = options;
    if (!idempotency && maxActivePerOwner === 0) {
      // Nothing to check against the owner's other tasks, so nothing to lock: one INSERT, and an
      // owner's unlimited submits do not queue behind each other's commits.
      await insertTask(this.db, task);
      return { outcome: "admitted" };
    }
    return this.db.transaction(async (client): Promise<AdmitResult> => {
      // Released at commit or rollback; owners whose ids hash alike merely wait for each other.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [task.ownerId]);
      if (idempotency) {
        const row = await liveKey(client, task.ownerId, idempotency.key, new Date());
        if (row && row.request_hash !== idempotency.requestHash) return { outcome: "conflict" };
        if (row) return { outcome: "replay", key: toKeyRecord(row) };
      }
      if (maxActivePerOwner > 0) {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM tasks WHERE owner_id = $1 AND ${ACTIVE_IN}`,
          [task.ownerId],
        );
        if (rows[0].n >= maxActivePerOwner) return { outcome: "over-quota" };
      }
      await insertTask(client, task);
      if (idempotency) {
        // An expired key of the owner may still be there: the new claim replaces it.
        await client.query(
          `INSERT INTO idempotency_keys
               (owner_id, key, request_hash, task_id, state, claimed_by, claimed_at, expires_at)
             VALUES ($1, $2, $3, $4, 'submitting', $5, $6, $7)
             ON CONFLICT (owner_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
               task_id = EXCLUDED.task_id, state = EXCLUDED.state, claimed_by = EXCLUDED.claimed_by,
               claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at`,
          [
            task.ownerId,
            idempotency.key,
            idempotency.requestHash,
            task.id,
            idempotency.claimedBy,
            task.createdAt,
            idempotency.expiresAt,
          ],
        );
      }
      return { outcome: "admitted" };
    });
  }

  async findKey(ownerId: string, key: string, now: Date): Promise<IdempotencyKeyRecord | null> {
    const row = await liveKey(this.db, ownerId, key, now);
    return row ? toKeyRecord(row) : null;
  }

  async settleKey(ownerId: string, key: string, taskId: string): Promise<void> {
    await this.db.query(
      "UPDATE idempotency_keys SET state = 'settled' WHERE owner_id = $1 AND key = $2 AND task_id = $3",
      [ownerId, key, taskId],
    );
  }

  async purgeExpiredKeys(now: Date): Promise<number> {
    const result = await this.db.query("DELETE FROM idempotency_keys WHERE expires_at <= $1", [
      now,
    ]);
    return result.rowCount ?? 0;
  }

  async confirmSubmit(id: string, upstreamTaskId: string): Promise<void> {
    await this.db.query(
      "UPDATE tasks SET upstream_task_id = $2 WHERE id = $1 AND upstream_task_id IS NULL",
      [id, upstreamTaskId],
    );
  }

  async markUpstreamMissing(id: string, at: Date): Promise<Date | null> {
    const { rows } = await this.db.query<{ since: Date }>(
      `UPDATE tasks SET upstream_missing_since = COALESCE(upstream_missing_since, $2) WHERE id = $1
         RETURNING upstream_missing_since AS since`,
      [id, at],
    );
    return rows[0]?.since ?? null;
  }

  async clearUpstreamMissing(id: string): Promise<void> {
    await this.db.query(
      "UPDATE tasks SET upstream_missing_since = NULL WHERE id = $1 AND upstream_missing_since IS NOT NULL",
      [id],
    );
  }

  /** One statement: the foreign key deletes the task's keys with it. */
  async discard(id: string): Promise<void> {
    await this.db.query("DELETE FROM tasks WHERE id = $1", [id]);
  }

  async get(id: string): Promise<TaskRecord | null> {
    const { rows } = await this.db.query<TaskRow>("SELECT * FROM tasks WHERE id = $1", [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  async getMany(ids: readonly string[]): Promise<Array<TaskRecord | null>> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.query<TaskRow>(
      "SELECT * FROM tasks WHERE id = ANY($1::text[])",
      [ids],
    );
    return inAskedOrder(ids, rows.map(fromRow));
  }

  /** One compare-and-set statement: no lock is held between reading the version and writing. */
  async update(
    id: string,
    expectedVersion: number,
    change: TaskChange,
  ): Promise<TaskRecord | null> {
    const { names, values } = toColumns(change);
    const sets = names.map((name, i) => `${name} = $${i + 4}`);
    const { rows } = await this.db.query<TaskRow>(
      `UPDATE tasks SET ${[...sets, "version = version + 1", "updated_at = $3"].join(", ")}
         WHERE id = $1 AND version = $2 RETURNING *`,
      [id, expectedVersion, new Date(), ...values],
    );
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  async listByOwner(ownerId: string, options: ListOptions): Promise<TaskPage> {
    const { text, values } = listByOwnerQuery(ownerId, options);
    const { rows } = await this.db.query<TaskRow>(text, values);
    return {
      tasks: rows.slice(0, options.first).map(fromRow),
      hasNextPage: rows.length > options.first,
    };
  }

  async listActiveIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM tasks WHERE ${ACTIVE_IN} ORDER BY created_at ASC`,
    );
    return rows.map((row) => row.id);
  }

  async ping(): Promise<void> {
    await this.db.query("SELECT 1");
  }

  close(): Promise<void> {
    return this.db.end();
  }
}

async function insertTask(db: Queryable, task: TaskRecord): Promise<void> {
  const { names, values } = toColumns(task);
  const placeholders = names.map((_, i) => `$${i + 1}`);
  await db.query(
    `INSERT INTO tasks (${names.join(", ")}) VALUES (${placeholders.join(", ")})`,
    values,
  );
}

/** The key's row while it is live (unexpired at `now`); the foreign key removed it with its task. */
async function liveKey(
  db: Queryable,
  ownerId: string,
  key: string,
  now: Date,
): Promise<KeyRow | undefined> {
  const { rows } = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM idempotency_keys
       WHERE owner_id = $1 AND key = $2 AND expires_at > $3`,
    [ownerId, key, now],
  );
  return rows[0];
}
