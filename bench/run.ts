import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import type { Client } from "graphql-ws";
import { loadConfig } from "../src/app/config";
import { createLogger } from "../src/observability/logger";
import { createGateway, type Gateway } from "../src/app/gateway";
import { GENERATE_FROM_TEXT, TASK_UPDATED } from "../test/helpers/operations";
import { postGraphql, tempDatabasePath } from "../test/helpers/test-gateway";
import { busiestWindow } from "../test/helpers/windows";
import { connect, subscribe } from "../test/helpers/ws-client";

/**
 * Benchmarks, run by `npm run bench`: figures go to bench/results.json and bench/RESULTS.md.
 * Each scenario starts a fresh gateway with the built-in simulator on this machine.
 */

const BASE_ENV = {
  PORT: "0",
  SIMULATOR_PORT: "0",
  MAX_ACTIVE_TASKS_PER_CLIENT: "0",
  RATE_LIMIT_SUBMITS_PER_MINUTE: "0",
  MAX_SUBSCRIPTIONS_PER_CLIENT: "100000",
  MAX_SUBSCRIPTIONS_PER_CONNECTION: "1000",
  WS_MAX_OPERATIONS_IN_FLIGHT: "2000",
};

async function withGateway<T>(env: Record<string, string>, run: (g: Gateway) => Promise<T>) {
  const db = tempDatabasePath();
  const config = loadConfig({ ...BASE_ENV, DATABASE_PATH: db.databasePath, ...env });
  const gateway = await createGateway(config, createLogger("silent"));
  try {
    return await run(gateway);
  } finally {
    await gateway.stop();
    db.cleanup();
  }
}

/** Heap in use after a full collection (the script runs with --expose-gc), so readings compare. */
function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc (npm run bench does)");
  gc();
  return process.memoryUsage().heapUsed;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Submits over HTTP at a fixed concurrency: throughput and latency of the whole mutation path. */
async function submitThroughput(total = 2000, concurrency = 32) {
  return withGateway({ SIMULATOR_PROCESSING_MS: "600000" }, async (gateway) => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next += 1;
          const t0 = performance.now();
          const { body } = await postGraphql(gateway.url, GENERATE_FROM_TEXT, {
            input: { prompt: "a benchmark" },
          });
          if (body.errors) throw new Error(JSON.stringify(body.errors));
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      submits: total,
      concurrency,
      perSecond: round(total / seconds),
      p50Ms: round(percentile(latencies, 50)),
      p95Ms: round(percentile(latencies, 95)),
      p99Ms: round(percentile(latencies, 99)),
    };
  });
}

/** One task, many subscribers over many sockets: how long the last one waits for the final event. */
async function fanOut(subscribers = 2000, sockets = 40) {
  return withGateway(
    { POLL_INTERVAL_MS: "50", SIMULATOR_QUEUED_MS: "200", SIMULATOR_PROCESSING_MS: "1500" },
    async (gateway) => {
      const { body } = await postGraphql<{ generateVideoFromText: { id: string } }>(
        gateway.url,
        GENERATE_FROM_TEXT,
        { input: { prompt: "watched by many" } },
      );
      const id = body.data!.generateVideoFromText.id;
      const clients: Client[] = Array.from({ length: sockets }, () => connect(gateway.wsUrl));
      const heapBefore = settledHeap();
      const subs = Array.from({ length: subscribers }, (_, i) =>
        subscribe<{ taskUpdated: { status: string; updatedAt: string } }>(
          clients[i % sockets],
          TASK_UPDATED,
          { id },
        ),
      );
      await Promise.all(subs.map((s) => s.nth(1)));
      const heapWithSubs = settledHeap();
      // The terminal event's updatedAt is when it was stored, just before it was published: the
      // time from there to each subscriber's receipt is the delivery latency of one change.
      const latencies = await Promise.all(
        subs.map((s) =>
          s.done.then(() => Date.now() - Date.parse(s.events.at(-1)!.taskUpdated.updatedAt)),
        ),
      );
      latencies.sort((a, b) => a - b);
      await Promise.all(clients.map((c) => c.dispose()));
      return {
        subscribers,
        sockets,
        storeToSubscriberP50Ms: percentile(latencies, 50),
        storeToLastSubscriberMs: latencies.at(-1),
        // Client and server share the process here, so this is an upper bound for the server side.
        heapPerSubscriberKiB: round((heapWithSubs - heapBefore) / subscribers / 1024, 2),
      };
    },
  );
}

/** Many active tasks under a global rate: the poller's spread and its cost in memory and CPU. */
async function pollerAtScale(tasks = 10_000, rate = 500) {
  return withGateway(
    {
      POLL_RATE_PER_SECOND: String(rate),
      POLL_CONCURRENCY: "64",
      POLL_INTERVAL_MS: "2000",
      SIMULATOR_PROCESSING_MS: "600000",
    },
    async (gateway) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < tasks) {
            next += 1;
            await postGraphql(gateway.url, GENERATE_FROM_TEXT, { input: { prompt: "p" } });
          }
        }),
      );
      const sim = gateway.simulator!;
      const from = sim.stats().statusPolls;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const times = sim
        .stats()
        .requests.filter((r) => r.route === "status")
        .map((r) => r.at)
        .filter((at) => at >= Date.now() - seconds * 1000);
      return {
        activeTasks: await gateway.scheduler.scheduled(),
        ratePerSecond: rate,
        pollsPerSecondMeasured: round((sim.stats().statusPolls - from) / seconds),
        busiestOneSecondWindow: busiestWindow(times, 1000),
        processCpuPercent: round(((cpu.user + cpu.system) / 1e6 / seconds) * 100),
        heapUsedMiB: round(settledHeap() / 1024 / 1024),
      };
    },
  );
}

async function main(): Promise<void> {
  const results = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    submitThroughput: await submitThroughput(),
    fanOut: await fanOut(),
    pollerAtScale: await pollerAtScale(),
  };
  const dir = path.resolve(__dirname);
  fs.writeFileSync(path.join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${results.measuredAt} with Node ${results.node} by \`npm run bench\` (gateway, simulator and clients in one process on this machine; shared and noisy, so read these as orders of magnitude).`,
    "",
    "| scenario | figure |",
    "|---|---|",
    ...Object.entries(results)
      .filter(([, value]) => typeof value === "object")
      .flatMap(([name, value]) =>
        Object.entries(value as Record<string, unknown>).map(
          ([k, v]) => `| ${name} | ${k}: ${v} |`,
        ),
      ),
    "",
  ];
  fs.writeFileSync(path.join(dir, "RESULTS.md"), lines.join("\n"));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
