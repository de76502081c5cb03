import pg from "pg";
import { StoreUnavailableError } from "../../errors/gateway-errors";
import type { Logger } from "../../observability/logger";
import type { InstanceRegistry } from "../../ports/instance-registry";
import { createPool, type PostgresConnectionOptions } from "./database";
import { isUnavailable } from "./postgres-errors";

export interface PostgresSessionRegistryOptions extends PostgresConnectionOptions {
  /** This instance's id (a UUID), unique per process start. */
  selfId: string;
  logger: Logger;
}

/** How long to wait before opening the presence session again after it broke. */
const RECONNECT_DELAY_MS = 1000;
/** `application_name` of an instance's presence session (PostgreSQL keeps 63 bytes of it). */
const sessionName = (instanceId: string) => `video-gateway/${instanceId}`;

/**
 * Which instances are alive, from PostgreSQL's own session list: each instance holds one session
 * open for its lifetime, named after its id, and an instance is alive while `pg_stat_activity`
 * shows that session. A process that dies, even by kill -9, loses its socket and PostgreSQL ends
 * the session at once; there is no heartbeat to stall, no time to live to tune, and the answer comes
 * from the same database that holds the idempotency keys it is asked about, not from a second
 * system that can fail or restart empty on its own.
 *
 * What it cannot see at once is a host that vanishes without closing its sockets: its session stays
 * until TCP gives up. The idempotency guard bounds that wait by the submit window anyway.
 */
export class PostgresSessionInstanceRegistry implements InstanceRegistry {
  private presence: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly selfId: string,
    private readonly pool: pg.Pool,
    private readonly options: PostgresSessionRegistryOptions,
  ) {}

  /** Opens the presence session; rejects with PostgreSQL's own error when it cannot. */
  static async open(
    options: PostgresSessionRegistryOptions,
  ): Promise<PostgresSessionInstanceRegistry> {
    const pool = createPool({ ...options, poolSize: 2 }, options.logger);
    const registry = new PostgresSessionInstanceRegistry(options.selfId, pool, options);
    try {
      await registry.connectPresence();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return registry;
  }

  async isAlive(instanceId: string): Promise<boolean> {
    if (instanceId === this.selfId) return true;
    try {
      const { rows } = await this.pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 LIMIT 1",
        [sessionName(instanceId)],
      );
      return rows.length > 0;
    } catch (error) {
      if (isUnavailable(error)) throw new StoreUnavailableError();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await Promise.allSettled([this.presence?.end(), this.pool.end()]);
  }

  private async connectPresence(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: sessionName(this.selfId),
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      keepAlive: true,
    });
    const lost = (error?: Error) => {
      if (this.presence !== client || this.closed) return;
      this.presence = null;
      this.options.logger.warn(
        { reason: error?.message },
        "the instance's presence session in PostgreSQL ended; reopening it",
      );
      this.reopenLater();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    await client.connect();
    if (this.closed) {
      await client.end();
      return;
    }
    this.presence = client;
  }

  /** Until it is back, other instances take this one for dead (its submits in flight as cut off). */
  private reopenLater(): void {
    this.reconnectTimer = setTimeout(() => {
      this.connectPresence().catch(() => {
        if (!this.closed) this.reopenLater();
      });
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}
