import { GENERATE_FROM_TEXT, TASKS } from "../../test/helpers/operations";
import { createScratchDatabase } from "../../test/helpers/postgres";
import { startTestRedis } from "../../test/helpers/redis-server";
import { graphql, SIMULATOR_KEY, spawnGatewayProcess, type GatewayProcess } from "../lib/gateway";
import { sleep, startHelper } from "../lib/processes";
import { defineScenario, type Measured } from "../lib/scenario";

const SIZES = [1, 2, 3];
/** At most one `tasks(first: 100)` page, which is how the end of a run is seen. */
const TASK_COUNT = Math.min(Number(process.env.BENCH_CLUSTER_TASKS ?? 60), 100);
/** A run whose tasks have not all ended by then is reported as a failure, not waited on forever. */
const RUN_DEADLINE_MS = 10 * 60_000;
const RATE = Number(process.env.BENCH_CLUSTER_RATE ?? 30);
const QUEUED_MS = 500;
const PROCESSING_MS = 8000;

interface Run {
  pollsPerTask: number;
  busiestSecond: number;
  meanPollsPerSecond: number;
}

export const scenarios = [
  defineScenario({
    id: "cluster",
    title: `the cluster: polls per task and the global poll rate for ${SIZES.join(", ")} instances`,
    floor:
      "for polls per task, one instance in the same round; for the poll rate, `POLL_RATE_PER_SECOND` (the limit every instance shares).",
    figures: [
      ...SIZES.map((n) => ({
        key: `pollsPerTask${n}`,
        label: `polls per task, ${n} instance${n > 1 ? "s" : ""}`,
        unit: "",
        better: "lower" as const,
        digits: 2,
      })),
      ...SIZES.map((n) => ({
        key: `busiestSecond${n}`,
        label: `busiest clock second at the upstream, ${n} instance${n > 1 ? "s" : ""}`,
        unit: "polls",
        better: "lower" as const,
        digits: 0,
      })),
      ...SIZES.map((n) => ({
        key: `meanRate${n}`,
        label: `mean poll rate from first to last poll, ${n} instance${n > 1 ? "s" : ""}`,
        unit: "polls/s",
        better: "higher" as const,
      })),
    ],
    notes: [
      `Each size gets a fresh PostgreSQL database, a private redis-server and a simulator in processes of their own; ${TASK_COUNT} text-to-video tasks (${QUEUED_MS / 1000} s queued, ${PROCESSING_MS / 1000} s processing) are submitted round-robin to the instances at once, polled every 200-500 ms (about ${Math.round((TASK_COUNT * 1000) / 350)} polls/s wanted) with \`POLL_RATE_PER_SECOND=${RATE}\`, so the shared limit binds; every status poll the simulator receives is counted by the clock second it arrived in, until every task is SUCCEEDED on the first instance.`,
    ],
    round: async () => {
      const runs = new Map<number, Run>();
      for (const n of SIZES) runs.set(n, await runCluster(n));
      const one = runs.get(1)!;
      const figures: Record<string, Measured> = {};
      for (const [n, run] of runs) {
        figures[`pollsPerTask${n}`] = {
          gateway: run.pollsPerTask,
          floor: n === 1 ? null : one.pollsPerTask,
        };
        figures[`busiestSecond${n}`] = { gateway: run.busiestSecond, floor: RATE };
        figures[`meanRate${n}`] = { gateway: run.meanPollsPerSecond, floor: RATE };
      }
      return figures;
    },
  }),
];

/** `instances` gateway processes on one PostgreSQL database and one Redis, polling one simulator. */
async function runCluster(instances: number): Promise<Run> {
  const [redis, database, simulator] = await Promise.all([
    startTestRedis(),
    createScratchDatabase(),
    startHelper<{ url: string; pid: number }>("simulator-host", {
      env: {
        SIMULATOR_API_KEY: SIMULATOR_KEY,
        SIMULATOR_QUEUED_MS: String(QUEUED_MS),
        SIMULATOR_PROCESSING_MS: String(PROCESSING_MS),
      },
    }),
  ]);
  const gateways: GatewayProcess[] = [];
  try {
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      APIMART_BASE_URL: simulator.ready.url,
      POLL_INTERVAL_MS: "200",
      POLL_MAX_INTERVAL_MS: "500",
      POLL_RATE_PER_SECOND: String(RATE),
    };
    // One at a time: the first creates the schema.
    for (let i = 0; i < instances; i++) gateways.push(await spawnGatewayProcess(env));
    await Promise.all(
      Array.from({ length: TASK_COUNT }, (_, i) =>
        graphql(gateways[i % instances].url, GENERATE_FROM_TEXT, {
          input: { prompt: `cluster bench ${i}` },
        }),
      ),
    );
    const deadline = Date.now() + RUN_DEADLINE_MS;
    let done = await succeeded(gateways[0].url);
    while (done < TASK_COUNT) {
      if (Date.now() > deadline) {
        throw new Error(`${instances} instance(s): ${done} of ${TASK_COUNT} tasks succeeded`);
      }
      await sleep(500);
      done = await succeeded(gateways[0].url);
    }
    const { times } = await simulator.ask<{ times: number[] }>("polls", { since: 0 });
    const perSecond = new Map<number, number>();
    for (const at of times) {
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    return {
      pollsPerTask: times.length / TASK_COUNT,
      busiestSecond: Math.max(...perSecond.values()),
      meanPollsPerSecond: times.length / Math.max(span, 1),
    };
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.allSettled([redis.stop(), simulator.stop()]);
    await database.drop();
  }
}

async function succeeded(url: string): Promise<number> {
  const data = await graphql<{ tasks: { edges: unknown[] } }>(url, TASKS, {
    first: 100,
    status: ["SUCCEEDED"],
  });
  return data.tasks.edges.length;
}
