import type pg from "pg";
import { StoreUnavailableError } from "../../errors/gateway-errors";
import type { Logger } from "../../observability/logger";
import { isUnavailable } from "./postgres-errors";

/** Where a statement runs: the pool, or one connection inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * The pool as the store uses it: every failure to reach PostgreSQL (down, unreachable, restarting,
 * slower than the timeouts) becomes a {@link StoreUnavailableError} for the client and a warning in
 * the log; any other error (a bug, a constraint) passes through unchanged, to be masked.
 */
export class GuardedPool implements Queryable {
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.guard(() => this.pool.query<R>(text, values));
  }

  /**
   * Runs `work` in a transaction on one connection. A connection that broke is dropped rather than
   * returned to the pool; a healthy one is rolled back and reused.
   */
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        if (isUnavailable(error)) {
          client.release(true);
        } else {
          await client.query("ROLLBACK").then(
            () => client.release(),
            () => client.release(true),
          );
        }
        throw error;
      }
    });
  }

  /** Closes every connection; later calls wait for the same close. */
  end(): Promise<void> {
    return (this.closing ??= this.pool.end());
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const { code, message } = error as { code?: unknown; message?: unknown };
      this.logger.warn({ code, reason: message }, "PostgreSQL is unavailable");
      throw new StoreUnavailableError();
    }
  }
}
