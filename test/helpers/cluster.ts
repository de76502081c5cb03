import type { Client } from "graphql-ws";
import type { SimulatorOptions } from "../../src/simulator/simulator.options";
import type { Simulator } from "../../src/simulator/simulator.server";
import { spawnGateway, type ChildGateway } from "./child-gateway";
import { GENERATE_FROM_TEXT, TASK_UPDATED, type TaskView } from "./operations";
import { createScratchDatabase, type ScratchDatabase } from "./postgres";
import { startTestRedis, type TestRedis } from "./redis-server";
import { startTestSimulator } from "./simulator";
import { postGraphql, type GraphQLErrorBody } from "./test-gateway";
import { connect, subscribe, type Subscription } from "./ws-client";

/** Client secrets of the principals cluster tests act as; each test takes its own. */
export const CLIENTS = {
  alice: "alice-secret-0123456789",
  bob: "bob-secret-0123456789ab",
  carol: "carol-secret-0123456789",
  dave: "dave-secret-0123456789a",
  erin: "erin-secret-0123456789a",
} as const;

const UPSTREAM_KEY = "cluster-upstream-key";

/** Timings for gateways polling a simulator whose jobs take about two seconds. */
export const CLUSTER_ENV: Record<string, string> = {
  POLL_INTERVAL_MS: "200",
  POLL_MAX_INTERVAL_MS: "500",
  POLL_RATE_PER_SECOND: "50",
  RATE_LIMIT_SUBMITS_PER_MINUTE: "1000",
  MAX_ACTIVE_TASKS_PER_CLIENT: "0",
};

/**
 * What the multi-instance tests run on: a fresh PostgreSQL database, a private redis-server, one
 * simulator as the shared upstream, and gateway processes started on them.
 */
export interface TestCluster {
  redis: TestRedis;
  database: ScratchDatabase;
  upstream: Simulator;
  /** Starts one more gateway process on the same PostgreSQL, Redis and upstream. */
  spawn(env?: Record<string, string>): Promise<ChildGateway>;
  /** A graphql-ws client of `gateway` as `secret`'s principal, disposed of by `teardown`. */
  client(gateway: ChildGateway, secret: string): Client;
  /** Kills every process, stops Redis and the simulator, drops the database. */
  teardown(): Promise<void>;
}

export async function startTestCluster(
  options: {
    env?: Record<string, string>;
    upstream?: Partial<SimulatorOptions>;
    /** The PostgreSQL server to make the database on. @default the shared test server */
    postgresServerUrl?: string;
  } = {},
): Promise<TestCluster> {
  const [redis, database, upstream] = await Promise.all([
    startTestRedis(),
    createScratchDatabase(options.postgresServerUrl),
    startTestSimulator({
      apiKey: UPSTREAM_KEY,
      queuedMs: 200,
      processingMs: 1500,
      ...options.upstream,
    }),
  ]);
  const gateways: ChildGateway[] = [];
  const clients: Client[] = [];
  return {
    redis,
    database,
    upstream,
    spawn: async (env = {}) => {
      const gateway = await spawnGateway({
        REDIS_URL: redis.url,
        DATABASE_URL: database.url,
        APIMART_API_KEY: UPSTREAM_KEY,
        APIMART_BASE_URL: upstream.url,
        GATEWAY_API_KEYS: Object.entries(CLIENTS)
          .map(([name, secret]) => `${name}:${secret}`)
          .join(","),
        ...CLUSTER_ENV,
        ...options.env,
        ...env,
      });
      gateways.push(gateway);
      return gateway;
    },
    client: (gateway, secret) => {
      const client = connect(gateway.wsUrl, secret);
      clients.push(client);
      return client;
    },
    teardown: async () => {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      for (const gateway of gateways.splice(0)) {
        if (gateway.process.exitCode === null && gateway.process.signalCode === null) {
          gateway.process.kill("SIGKILL");
        }
        await gateway.exited;
      }
      await Promise.allSettled([redis.stop(), upstream.close()]);
      await database.drop();
    },
  };
}

/** Submits a text-to-video task on `gateway`; resolves with the task or the errors. */
export async function submitOn(
  gateway: ChildGateway,
  secret: string,
  prompt: string,
  idempotencyKey?: string,
): Promise<{ task?: TaskView; errors?: GraphQLErrorBody[] }> {
  const { body } = await postGraphql<{ generateVideoFromText: TaskView }>(
    gateway.url,
    GENERATE_FROM_TEXT,
    { input: { prompt }, idempotencyKey },
    secret,
  );
  return { task: body.data?.generateVideoFromText ?? undefined, errors: body.errors };
}

/** Watches a task over graphql-ws. */
export function watch(client: Client, taskId: string): Subscription<{ taskUpdated: TaskView }> {
  return subscribe<{ taskUpdated: TaskView }>(client, TASK_UPDATED, { id: taskId });
}

/** `/readyz` of a gateway: its HTTP status and the state of each check. */
export async function readiness(
  gateway: ChildGateway,
): Promise<{ status: number; checks: Record<string, string> }> {
  const response = await fetch(gateway.url.replace(/\/graphql$/, "/readyz"));
  const body = (await response.json()) as { checks: Record<string, string> };
  return { status: response.status, checks: body.checks };
}
