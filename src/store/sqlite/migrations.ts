/**
 * Schema migrations, applied in order on start; `PRAGMA user_version` records how many ran.
 * Append only once released: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE tasks (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL,
     upstream_task_id TEXT,
     status TEXT NOT NULL,
     provider_status TEXT NOT NULL,
     progress INTEGER NOT NULL,
     version INTEGER NOT NULL,
     request TEXT NOT NULL,
     video TEXT,
     error TEXT,
     estimated_total_seconds INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     completed_at INTEGER
   );
   CREATE INDEX tasks_by_owner ON tasks (owner_id, created_at DESC, id DESC);
   CREATE INDEX tasks_by_owner_status ON tasks (owner_id, status);
   CREATE TABLE idempotency_keys (
     owner_id TEXT NOT NULL,
     key TEXT NOT NULL,
     request_hash TEXT NOT NULL,
     task_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
     claimed_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (owner_id, key)
   );
   CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);`,
  // Keys are written with their task and deleted with it; a key records which instance submits it.
  `CREATE TABLE idempotency_keys_v2 (
     owner_id TEXT NOT NULL,
     key TEXT NOT NULL,
     request_hash TEXT NOT NULL,
     task_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('submitting', 'settled')),
     claimed_by TEXT NOT NULL,
     claimed_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (owner_id, key)
   );
   INSERT INTO idempotency_keys_v2
     SELECT owner_id, key, request_hash, task_id,
            CASE state WHEN 'done' THEN 'settled' ELSE 'submitting' END, '', claimed_at, expires_at
       FROM idempotency_keys WHERE task_id IN (SELECT id FROM tasks);
   DROP TABLE idempotency_keys;
   ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;
   CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
   CREATE INDEX idempotency_keys_by_task ON idempotency_keys (task_id);
   CREATE INDEX tasks_active ON tasks (status, created_at) WHERE status IN ('QUEUED', 'PROCESSING');`,
  // When the upstream first denied knowing a task (UPSTREAM_LOST_AFTER_MS counts from there).
  `ALTER TABLE tasks ADD COLUMN upstream_missing_since INTEGER;`,
];
