import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/app/config";
import { createLogger, type Logger } from "../../src/observability/logger";
import { createGateway, type Gateway } from "../../src/app/gateway";

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
  databasePath: string;
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
 * a `databasePath` it gets a temporary SQLite file, removed by `stop()`.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  databasePath?: string,
  logger: Logger = createLogger("silent"),
): Promise<TestGateway> {
  const temp = databasePath === undefined ? tempDatabasePath() : null;
  const dbPath = databasePath ?? temp!.databasePath;
  const config = loadConfig({ ...FAST_ENV, DATABASE_PATH: dbPath, ...env });
  let gateway: Gateway;
  try {
    gateway = await createGateway(config, logger);
  } catch (error) {
    temp?.cleanup();
    throw error;
  }
  const stop = gateway.stop;
  return Object.assign(gateway, {
    databasePath: dbPath,
    gql: (query: string, variables?: Record<string, unknown>, token?: string) =>
      postGraphql(gateway.url, query, variables, token),
    stop: async () => {
      try {
        await stop();
      } finally {
        temp?.cleanup();
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
