import type pg from "pg";
import type { TaskChange, TaskRecord } from "../../domain/task";
import { StoreUnavailableError } from "../../errors/gateway-errors";
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
import { isUnavailable } from "./postgres-errors";
import {
  ACTIVE_IN,
  fromRow,
  listByOwnerQuery,
  toColumns,
  toKeyRecord,
  type KeyRow,
  type TaskRow,
} from "./task-rows";

export interface PostgresStoreOptions extends PostgresConnectionOptions {
  logger: Logger;
}

const KEY_COLUMNS = "request_hash, task_id, state, claimed_by, claimed_at";

/**
 * The shared store: tasks and their idempotency keys in PostgreSQL, for one instance or several.
 * Admitting runs in one transaction under an advisory lock per owner, so the key check, the count of
 * active tasks and the inserts cannot interleave with another admit of that owner on any instance.
 * When PostgreSQL is unreachable or too slow, operations reject with {@link StoreUnavailableError}.
 */
export class PostgresTaskStore implements TaskStore {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  /** Migrates the database, then opens the pool; rejects with PostgreSQL's own error on failure. */
  static async open(options: PostgresStoreOptions): Promise<PostgresTaskStore> {
    await migrate(options);
    return new PostgresTaskStore(createPool(options, options.logger), options.logger);
  }

  admit(task: TaskRecord, options: AdmitOptions): Promise<AdmitResult> {
    const { idempotency, maxActivePerOwner } = options;
    return this.transaction(async (client): Promise<AdmitResult> => {
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
      const { names, values } = toColumns(task);
      await client.query(
        `INSERT INTO tasks (${names.join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
        values,
      );
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

  findKey(ownerId: string, key: string, now: Date): Promise<IdempotencyKeyRecord | null> {
    return this.run(async () => {
      const row = await liveKey(this.pool, ownerId, key, now);
      return row ? toKeyRecord(row) : null;
    });
  }

  settleKey(ownerId: string, key: string, taskId: string): Promise<void> {
    return this.exec(
      "UPDATE idempotency_keys SET state = 'settled' WHERE owner_id = $1 AND key = $2 AND task_id = $3",
      [ownerId, key, taskId],
    );
  }

  purgeExpiredKeys(now: Date): Promise<number> {
    return this.run(async () => {
      const result = await this.pool.query("DELETE FROM idempotency_keys WHERE expires_at <= $1", [
        now,
      ]);
      return result.rowCount ?? 0;
    });
  }

  confirmSubmit(id: string, upstreamTaskId: string): Promise<void> {
    return this.exec(
      "UPDATE tasks SET upstream_task_id = $2 WHERE id = $1 AND upstream_task_id IS NULL",
      [id, upstreamTaskId],
    );
  }

  /** One statement: the foreign key deletes the task's keys with it. */
  discard(id: string): Promise<void> {
    return this.exec("DELETE FROM tasks WHERE id = $1", [id]);
  }

  get(id: string): Promise<TaskRecord | null> {
    return this.run(async () => {
      const { rows } = await this.pool.query<TaskRow>("SELECT * FROM tasks WHERE id = $1", [id]);
      return rows.length > 0 ? fromRow(rows[0]) : null;
    });
  }

  getMany(ids: readonly string[]): Promise<Array<TaskRecord | null>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.run(async () => {
      const { rows } = await this.pool.query<TaskRow>(
        "SELECT * FROM tasks WHERE id = ANY($1::text[])",
        [ids],
      );
      const byId = new Map(rows.map((row) => [row.id, fromRow(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** One compare-and-set statement: no lock is held between reading the version and writing. */
  update(id: string, expectedVersion: number, change: TaskChange): Promise<TaskRecord | null> {
    const { names, values } = toColumns(change);
    const sets = names.map((name, i) => `${name} = $${i + 4}`);
    return this.run(async () => {
      const { rows } = await this.pool.query<TaskRow>(
        `UPDATE tasks SET ${[...sets, "version = version + 1", "updated_at = $3"].join(", ")}
           WHERE id = $1 AND version = $2 RETURNING *`,
        [id, expectedVersion, new Date(), ...values],
      );
      return rows.length > 0 ? fromRow(rows[0]) : null;
    });
  }

  listByOwner(ownerId: string, options: ListOptions): Promise<TaskPage> {
    const { text, values } = listByOwnerQuery(ownerId, options);
    return this.run(async () => {
      const { rows } = await this.pool.query<TaskRow>(text, values);
      return {
        tasks: rows.slice(0, options.first).map(fromRow),
        hasNextPage: rows.length > options.first,
      };
    });
  }

  listActiveIds(): Promise<string[]> {
    return this.run(async () => {
      const { rows } = await this.pool.query<{ id: string }>(
        `SELECT id FROM tasks WHERE ${ACTIVE_IN} ORDER BY created_at ASC`,
      );
      return rows.map((row) => row.id);
    });
  }

  ping(): Promise<void> {
    return this.exec("SELECT 1", []);
  }

  close(): Promise<void> {
    return (this.closing ??= this.pool.end());
  }

  private exec(sql: string, values: unknown[]): Promise<void> {
    return this.run(async () => {
      await this.pool.query(sql, values);
    });
  }

  /** Runs `operation`, turning a failure to reach PostgreSQL into {@link StoreUnavailableError}. */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const { code, message } = error as Error & { code?: string };
      this.logger.warn({ code, reason: message }, "PostgreSQL is unavailable");
      throw new StoreUnavailableError();
    }
  }

  /**
   * Runs `work` in a transaction on one connection. A connection that broke is dropped rather than
   * returned to the pool; a healthy one is rolled back and reused.
   */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.run(async () => {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        if (isUnavailable(error)) {
          client.release(error as Error);
        } else {
          await client.query("ROLLBACK").then(
            () => client.release(),
            (rollbackError: Error) => client.release(rollbackError),
          );
        }
        throw error;
      }
    });
  }
}

/** The key's row while it is live (unexpired at `now`); the foreign key removed it with its task. */
async function liveKey(
  db: Pick<pg.Pool, "query">,
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
