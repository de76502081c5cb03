/**
 * Schema migrations, applied in order on start; `schema_migrations` records each version applied.
 * Append only once released: never edit a migration that has shipped.
 *
 * Times are `timestamptz` (microseconds, so a JavaScript date round-trips to the millisecond); ids and
 * keys compare bytewise (`COLLATE "C"`), as in SQLite, so pages break ties on the id the same way on
 * both engines. A key belongs to its task: deleting the task deletes the key.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE tasks (
     id text COLLATE "C" PRIMARY KEY,
     owner_id text COLLATE "C" NOT NULL,
     upstream_task_id text,
     status text NOT NULL,
     provider_status text NOT NULL,
     progress integer NOT NULL,
     version integer NOT NULL,
     request jsonb NOT NULL,
     video jsonb,
     error jsonb,
     estimated_total_seconds integer,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     completed_at timestamptz
   );
   CREATE INDEX tasks_by_owner ON tasks (owner_id, created_at DESC, id DESC);
   CREATE INDEX tasks_active ON tasks (created_at) WHERE status IN ('QUEUED', 'PROCESSING');
   CREATE INDEX tasks_active_by_owner ON tasks (owner_id) WHERE status IN ('QUEUED', 'PROCESSING');
   CREATE TABLE idempotency_keys (
     owner_id text COLLATE "C" NOT NULL,
     key text COLLATE "C" NOT NULL,
     request_hash text NOT NULL,
     task_id text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
     state text NOT NULL CHECK (state IN ('submitting', 'settled')),
     claimed_by text NOT NULL,
     claimed_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     PRIMARY KEY (owner_id, key)
   );
   CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
   CREATE INDEX idempotency_keys_by_task ON idempotency_keys (task_id);`,
];
