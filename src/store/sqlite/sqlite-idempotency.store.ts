import type Database from "better-sqlite3";
import { statementCache } from "./database";
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyStore,
} from "../../idempotency/idempotency.store";

interface KeyRow {
  request_hash: string;
  task_id: string;
  state: "pending" | "done";
  claimed_at: number;
  expires_at: number;
}

/** Idempotency keys in the same SQLite file as the tasks; every claim is one immediate transaction. */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly sql: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.sql = statementCache(db);
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const { ownerId, key, requestHash, taskId, now, ttlMs, abandonAfterMs } = request;
    const at = now.getTime();
    return this.db
      .transaction((): ClaimResult => {
        const row = this.sql("SELECT * FROM idempotency_keys WHERE owner_id = ? AND key = ?").get(
          ownerId,
          key,
        ) as KeyRow | undefined;
        if (row && row.expires_at > at) {
          if (row.request_hash !== requestHash) return { outcome: "conflict" };
          if (row.state === "done") return { outcome: "replay", taskId: row.task_id };
          if (row.claimed_at + abandonAfterMs > at) return { outcome: "in-flight" };
          if (this.taskExists(row.task_id)) {
            this.setState(ownerId, key, row.task_id, "done");
            return { outcome: "replay", taskId: row.task_id };
          }
        }
        this.sql(
          `INSERT OR REPLACE INTO idempotency_keys
               (owner_id, key, request_hash, task_id, state, claimed_at, expires_at)
             VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
        ).run(ownerId, key, requestHash, taskId, at, at + ttlMs);
        return { outcome: "claimed" };
      })
      .immediate();
  }

  async complete(ownerId: string, key: string, taskId: string): Promise<void> {
    this.setState(ownerId, key, taskId, "done");
  }

  async release(ownerId: string, key: string, taskId: string): Promise<void> {
    this.sql(
      "DELETE FROM idempotency_keys WHERE owner_id = ? AND key = ? AND task_id = ? AND state = 'pending'",
    ).run(ownerId, key, taskId);
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.sql("DELETE FROM idempotency_keys WHERE expires_at <= ?").run(now.getTime())
      .changes;
  }

  private taskExists(taskId: string): boolean {
    return this.sql("SELECT 1 FROM tasks WHERE id = ?").get(taskId) !== undefined;
  }

  private setState(ownerId: string, key: string, taskId: string, state: KeyRow["state"]): void {
    this.sql(
      "UPDATE idempotency_keys SET state = ? WHERE owner_id = ? AND key = ? AND task_id = ?",
    ).run(state, ownerId, key, taskId);
  }
}
