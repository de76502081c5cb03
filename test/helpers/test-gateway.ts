import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/app/config";
import { createLogger, type Logger } from "../../src/observability/logger";
import { createGateway, type Gateway } from "../../src/app/gateway";
import { createScratchDatabase } from "./postgres";

/** Fast timings so a simulated job finishes in well under a second. */
export const FAST_ENV: Record<string, string> = {
  PORT: "0",
  SIMULATOR_PORT: "0",
  POLL_INTERVAL_MS: "50",
  POLL_MAX_INTERVAL_MS: "200",
  POLL_RATE_PER_SECOND: "1000",
  // Quotas are off unless a test is about them.
  MAX_ACTIVE_TASKS_PER_CLIENT: "0",
  RATE_LIMIT_SUBMITS_PER_MINUTE: "0",
  MAX_SUBSCRIPTIONS_PER_CLIENT: "1000",
  SIMULATOR_QUEUED_MS: "100",
  SIMULATOR_PROCESSING_MS: "400",
};

export interface TestGateway extends Gateway {
  /** POST /graphql with an optional bearer token; resolves with the HTTP status and the parsed body. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T | null; errors?: GraphQLErrorBody[] } }>;
}

export interface GraphQLErrorBody {
  message: string;
  path?: string[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** Which store integration tests run on: `TEST_STORE=postgres` (a second jest project), else SQLite. */
export const TEST_STORE: "sqlite" | "postgres" =
  process.env.TEST_STORE === "postgres" ? "postgres" : "sqlite";

/** What a restart keeps, in test names: "SQLite file" or "PostgreSQL database". */
export const TEST_STORE_NAME = TEST_STORE === "postgres" ? "PostgreSQL database" : "SQLite file";

/** A store of its own for a test: its environment for the gateway, and how to remove it. */
export interface TestDatabase {
  /** `DATABASE_PATH` of a temporary SQLite file, or `DATABASE_URL` of a new PostgreSQL database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A new, empty store of the kind `TEST_STORE` selects. */
export async function tempDatabase(): Promise<TestDatabase> {
  if (TEST_STORE === "postgres") {
    const database = await createScratchDatabase();
    return { env: { DATABASE_URL: database.url }, cleanup: database.drop };
  }
  const { databasePath, cleanup } = tempDatabasePath();
  return { env: { DATABASE_PATH: databasePath }, cleanup: async () => cleanup() };
}

/** A temporary folder for a SQLite file, removed by the returned cleanup. */
export function tempDatabasePath(): { databasePath: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "video-gateway-test-"));
  return {
    databasePath: path.join(dir, "gateway.db"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts the real gateway on port 0 with the built-in simulator (unless env points elsewhere). Without
 * a `database` it gets a new one of the kind `TEST_STORE` selects, removed by `stop()`.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  database?: TestDatabase,
  logger: Logger = createLogger("silent"),
): Promise<TestGateway> {
  const own = database === undefined ? await tempDatabase() : null;
  const config = loadConfig({ ...FAST_ENV, ...(database ?? own!).env, ...env });
  let gateway: Gateway;
  try {
    gateway = await createGateway(config, logger);
  } catch (error) {
    await own?.cleanup();
    throw error;
  }
  const stop = gateway.stop;
  return Object.assign(gateway, {
    gql: (query: string, variables?: Record<string, unknown>, token?: string) =>
      postGraphql(gateway.url, query, variables, token),
    stop: async () => {
      try {
        await stop();
      } finally {
        await own?.cleanup();
      }
    },
  }) as TestGateway;
}

export async function postGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; body: { data?: T | null; errors?: GraphQLErrorBody[] } }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: T | null; errors?: GraphQLErrorBody[] },
  };
}

export { waitFor } from "./wait-for";
