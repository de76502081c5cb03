import pg from "pg";
import type { Logger } from "../../observability/logger";
import { MIGRATIONS } from "./migrations";

/** Shown in `pg_stat_activity`, so an operator can tell the gateway's connections apart. */
const APPLICATION_NAME = "video-gateway";

/**
 * The client-side limit runs this much longer than `statement_timeout`, so a server that is merely
 * slow cancels the statement itself (the connection stays usable); the client-side one is for a
 * server that stopped answering at all.
 */
const QUERY_TIMEOUT_MARGIN_MS = 1000;

/** Key of the advisory lock that serialises migrations (the two-key form, apart from owner locks). */
const MIGRATION_LOCK = [0x76676d, 1] as const;

export interface PostgresConnectionOptions {
  /** `postgres://` or `postgresql://` URL (`DATABASE_URL`); may carry a password. */
  url: string;
  /** Most connections open at once (`DATABASE_POOL_SIZE`). */
  poolSize: number;
  /** Longest wait for a connection, new or from a full pool (`DATABASE_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs: number;
  /** Longest one statement may run, lock waits included (`DATABASE_STATEMENT_TIMEOUT_MS`). */
  statementTimeoutMs: number;
}

/**
 * The pool every store operation uses. Every wait is bounded, so a request fails within about the
 * configured timeouts when PostgreSQL is down or hangs; broken connections are dropped and replaced
 * on the next use, so the pool recovers by itself.
 */
export function createPool(options: PostgresConnectionOptions, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    application_name: APPLICATION_NAME,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    keepAlive: true,
  });
  // An idle connection that breaks (a restart, a network cut) is removed by the pool; without a
  // listener the 'error' event would end the process.
  pool.on("error", (error: Error & { code?: string }) =>
    logger.warn(
      { code: error.code, reason: error.message },
      "an idle PostgreSQL connection failed; it will be replaced",
    ),
  );
  return pool;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so instances starting
 * together apply each migration once. It uses its own connection without the request timeouts: a
 * migration may rightly take longer than a request (an index on a large table). Resolves with how
 * many migrations it applied.
 */
export async function migrate(
  options: Pick<PostgresConnectionOptions, "url" | "connectTimeoutMs">,
): Promise<number> {
  const client = new pg.Client({
    connectionString: options.url,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  client.on("error", () => undefined); // a broken connection also fails the query in progress
  await client.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...MIGRATION_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ applied: number }>(
        "SELECT coalesce(max(version), 0) AS applied FROM schema_migrations",
      );
      const applied = rows[0].applied;
      for (let version = applied + 1; version <= MIGRATIONS.length; version += 1) {
        await client.query(MIGRATIONS[version - 1]);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [version]);
      }
      await client.query("COMMIT");
      return Math.max(0, MIGRATIONS.length - applied);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
