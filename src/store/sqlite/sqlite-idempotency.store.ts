import type Database from "better-sqlite3";
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyStore,
} from "../../idempotency/idempotency.store";

interface KeyRow {
  request_hash: string;
  task_id: string | null;
  claimed_at: number;
  expires_at: number;
}

/** Idempotency keys in the same SQLite file as the tasks; every claim is one transaction. */
export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Database.Database) {}

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const { ownerId, key, requestHash, now, ttlMs, abandonAfterMs } = request;
    return this.db.transaction((): ClaimResult => {
      const row = this.db
        .prepare("SELECT * FROM idempotency_keys WHERE owner_id = ? AND key = ?")
        .get(ownerId, key) as KeyRow | undefined;
      const stale =
        row !== undefined &&
        (row.expires_at <= now.getTime() ||
          (row.task_id === null && row.claimed_at + abandonAfterMs <= now.getTime()));
      if (row && !stale) {
        if (row.request_hash !== requestHash) return { outcome: "conflict" };
        return row.task_id === null
          ? { outcome: "in-flight" }
          : { outcome: "replay", taskId: row.task_id };
      }
      this.db
        .prepare(
          `INSERT OR REPLACE INTO idempotency_keys (owner_id, key, request_hash, task_id, claimed_at, expires_at)
           VALUES (?, ?, ?, NULL, ?, ?)`,
        )
        .run(ownerId, key, requestHash, now.getTime(), now.getTime() + ttlMs);
      return { outcome: "claimed" };
    })();
  }

  async release(ownerId: string, key: string): Promise<void> {
    this.db
      .prepare("DELETE FROM idempotency_keys WHERE owner_id = ? AND key = ? AND task_id IS NULL")
      .run(ownerId, key);
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.prepare("DELETE FROM idempotency_keys WHERE expires_at <= ?").run(now.getTime())
      .changes;
  }
}
