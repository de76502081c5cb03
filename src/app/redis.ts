import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../observability/logger";

/**
 * The gateway's Redis connections, one per role, because the roles want opposite things of a
 * connection: pub/sub takes a connection over, BullMQ's worker must wait through an outage
 * (`maxRetriesPerRequest: null`), and whatever serves a request must fail fast instead.
 */
export interface RedisConnections {
  /** PUBLISH and the submit rate limit: fails fast while Redis is away. */
  publisher: Redis;
  /** SUBSCRIBE (subscriber mode); the event bus resubscribes itself after a reconnection. */
  subscriber: Redis;
  /** BullMQ's queue (adding and counting jobs): fails fast, as BullMQ advises for producers. */
  queue: Redis;
  /** BullMQ's worker: retries forever; BullMQ duplicates it for its blocking reads. */
  worker: Redis;
  /** Resolves when every connection is up; rejects naming one that is not after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /** `maxmemory-policy` as Redis reports it (`INFO memory`). */
  evictionPolicy(): Promise<string>;
  /** Closes every connection at once (nothing is waited for: Redis keeps nothing we need). */
  disconnect(): void;
}

/**
 * A command on a fail-fast connection gives up after this long: a Redis that accepts connections but
 * does not answer must not hold a submit or a poll.
 */
const FAIL_FAST_COMMAND_TIMEOUT_MS = 1000;
/** Reconnection attempts back off to at most this (ioredis's default curve, capped lower). */
const MAX_RECONNECT_DELAY_MS = 1000;

/** Opens the four connections to `url` (they connect and reconnect in the background). */
export function createRedisConnections(url: string, logger: Logger): RedisConnections {
  const base: RedisOptions = {
    connectionName: "video-gateway",
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
  const failFast: RedisOptions = {
    ...base,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: FAIL_FAST_COMMAND_TIMEOUT_MS,
  };
  const connections = {
    publisher: new Redis(url, failFast),
    subscriber: new Redis(url, { ...base, enableOfflineQueue: false, autoResubscribe: false }),
    queue: new Redis(url, failFast),
    worker: new Redis(url, { ...base, maxRetriesPerRequest: null }),
  };
  let lastLoggedAt = 0;
  for (const [role, connection] of Object.entries(connections)) {
    connection.on("error", (error: Error) => {
      // ioredis reports each failed reconnection attempt; one line every few seconds is plenty.
      if (Date.now() - lastLoggedAt < 5000) return;
      lastLoggedAt = Date.now();
      logger.warn({ err: { message: error.message }, role }, "Redis connection error");
    });
  }
  return {
    ...connections,
    ready: (timeoutMs) =>
      Promise.all(
        Object.entries(connections).map(([role, connection]) =>
          whenReady(connection, timeoutMs).catch((error: Error) => {
            throw new Error(
              `the ${role} connection is not up after ${timeoutMs} ms: ${error.message}`,
            );
          }),
        ),
      ).then(() => undefined),
    evictionPolicy: async () => {
      const info = await connections.publisher.info("memory");
      return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? "unknown";
    },
    disconnect: () => {
      for (const connection of Object.values(connections)) connection.disconnect();
    },
  };
}

/** Resolves once `connection` is ready; rejects after `timeoutMs` with its last error. */
function whenReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let lastError = "no answer";
    const onError = (error: Error) => (lastError = error.message);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(lastError));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      connection.off("ready", onReady);
      connection.off("error", onError);
    };
    connection.on("ready", onReady);
    connection.on("error", onError);
  });
}
