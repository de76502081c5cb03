import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GENERATE_FROM_TEXT } from "../../test/helpers/operations";
import { ownChild, startHelper, ROOT, type Helper } from "./processes";

/** The one client credential every bench client presents (a static client key, principal `key:bench`). */
export const BENCH_SECRET = "bench-secret-0123456789";
export const AUTHORIZATION = `Bearer ${BENCH_SECRET}`;
export const SIMULATOR_KEY = "bench-upstream-key-0123456789";

/**
 * Which gateway build to run: `dist/src/app/main.js` of this tree, or another tree's built `main.js`
 * (`BENCH_GATEWAY_MAIN`, for a before/after comparison in one sitting).
 */
export const GATEWAY_MAIN =
  process.env.BENCH_GATEWAY_MAIN ?? path.join(ROOT, "dist/src/app/main.js");

/**
 * What every bench gateway runs with besides production mode. The bench's one principal owns every
 * task and every watcher, so the per-principal caps are raised here (the per-connection ones are not:
 * each watcher has its own socket); submit quotas are off so a throughput run measures the path, not
 * the quota.
 */
export const BENCH_GATEWAY_ENV = {
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  GATEWAY_API_KEYS: `bench:${BENCH_SECRET}`,
  APIMART_API_KEY: SIMULATOR_KEY,
  MAX_ACTIVE_TASKS_PER_CLIENT: "0",
  RATE_LIMIT_SUBMITS_PER_MINUTE: "0",
  MAX_SUBSCRIPTIONS_PER_CLIENT: "1000000",
};

export interface BenchGateway {
  url: string;
  wsUrl: string;
  pid: number;
  simulator: Helper<{ url: string; pid: number }>;
  /** Submits a text-to-video task through the gateway; resolves with its id. */
  submit(prompt?: string): Promise<string>;
  /** Scrapes `/metrics`. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A production gateway (`NODE_ENV=production`, the built `dist/`) in its own process, talking to a
 * simulator in another, with a fresh SQLite file. `env` adds to or overrides {@link BENCH_GATEWAY_ENV}.
 */
export async function startGateway(
  env: Record<string, string> = {},
  options: { simulatorEnv?: Record<string, string>; execArgv?: string[] } = {},
): Promise<BenchGateway> {
  const simulator = await startHelper<{ url: string; pid: number }>("simulator-host", {
    env: { SIMULATOR_API_KEY: SIMULATOR_KEY, ...options.simulatorEnv },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gateway-"));
  const process_ = await spawnGatewayProcess(
    {
      DATABASE_PATH: path.join(dir, "gateway.db"),
      APIMART_BASE_URL: simulator.ready.url,
      ...env,
    },
    { cwd: dir, execArgv: options.execArgv },
  ).catch(async (error) => {
    await simulator.stop();
    throw error;
  });
  const { url } = process_;
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    pid: process_.pid,
    simulator,
    submit: async (prompt = "a benchmark") => {
      const data = await graphql<{ generateVideoFromText: { id: string } }>(
        url,
        GENERATE_FROM_TEXT,
        {
          input: { prompt },
        },
      );
      return data.generateVideoFromText.id;
    },
    metrics: async () => (await fetch(url.replace(/\/graphql$/, "/metrics"))).text(),
    stop: async () => {
      await process_.stop();
      await simulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL operation over HTTP as the bench's principal; throws on any error in the answer. */
export async function graphql<T>(url: string, query: string, variables: unknown): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: AUTHORIZATION },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** One gateway process, started and ready. */
export interface GatewayProcess {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

/**
 * Starts {@link GATEWAY_MAIN} with {@link BENCH_GATEWAY_ENV} plus `env` on a free port and resolves
 * once it prints its URL. The caller names the store (`DATABASE_PATH` or `DATABASE_URL`) and upstream.
 */
export async function spawnGatewayProcess(
  env: Record<string, string>,
  options: { cwd?: string; execArgv?: string[] } = {},
): Promise<GatewayProcess> {
  const child = ownChild(
    spawn(process.execPath, [...(options.execArgv ?? []), GATEWAY_MAIN], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...BENCH_GATEWAY_ENV, PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await readyUrl(child);
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

function readyUrl(child: ChildProcess): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /video-gateway ready at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`gateway exited (${code}):\n${output}`)));
  });
}
