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
];
