/**
 * Cluster benchmark: 1, 2 and 3 gateway processes on one PostgreSQL database and a private
 * redis-server, polling one simulator. Reports polls per task and the global poll rate (busiest
 * clock second, and the mean over the run) for each size, so one can see that adding instances
 * neither multiplies the polls of a task nor the load on the upstream.
 *
 *   npm run bench:cluster          (needs redis-server on the PATH and PostgreSQL as for the tests)
 *
 * BENCH_TASKS (default 60) tasks are submitted round-robin to the instances, with
 * POLL_RATE_PER_SECOND=BENCH_RATE (default 30) while they want about 5 polls/s each, so the shared
 * rate limit is what binds.
 */
import "reflect-metadata";
import type { ChildGateway } from "../test/helpers/child-gateway";
import { CLIENTS, startTestCluster, submitOn } from "../test/helpers/cluster";
import { TASKS, type TaskView } from "../test/helpers/operations";
import { postGraphql } from "../test/helpers/test-gateway";
import { waitFor } from "../test/helpers/wait-for";

const TASKS_PER_RUN = Number(process.env.BENCH_TASKS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 30);
const PRINCIPALS = Object.values(CLIENTS);

interface Row {
  instances: number;
  tasks: number;
  pollsPerTask: number;
  busiestSecond: number;
  /** The busiest clock second once every submit has been answered (polling alone). */
  busiestSteadySecond: number;
  meanPollsPerSecond: number;
  seconds: number;
}

async function run(instances: number): Promise<Row> {
  const cluster = await startTestCluster({
    env: { POLL_RATE_PER_SECOND: String(RATE), LOG_LEVEL: "error" },
    upstream: { queuedMs: 500, processingMs: 8000 },
  });
  try {
    const gateways: ChildGateway[] = [];
    for (let i = 0; i < instances; i++) gateways.push(await cluster.spawn());
    const began = Date.now();
    await Promise.all(
      Array.from({ length: TASKS_PER_RUN }, (_, i) =>
        submitOn(gateways[i % instances], PRINCIPALS[i % PRINCIPALS.length], `bench ${i}`),
      ),
    );
    const steadyFrom = Math.floor(Date.now() / 1000) + 1;
    await waitFor(async () => (await succeeded(gateways[0])) === TASKS_PER_RUN, {
      what: "every task",
      timeoutMs: 600_000,
      intervalMs: 500,
    });
    const seconds = (Date.now() - began) / 1000;
    const polls = cluster.upstream.stats().requests.filter((r) => r.route === "status");
    const perSecond = new Map<number, number>();
    for (const { at } of polls) {
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const span = (polls.at(-1)!.at - polls[0].at) / 1000;
    return {
      instances,
      tasks: TASKS_PER_RUN,
      pollsPerTask: round(polls.length / TASKS_PER_RUN),
      busiestSecond: Math.max(...perSecond.values()),
      busiestSteadySecond: Math.max(
        ...[...perSecond].filter(([second]) => second >= steadyFrom).map(([, count]) => count),
      ),
      meanPollsPerSecond: round(polls.length / Math.max(span, 1)),
      seconds: round(seconds),
    };
  } finally {
    await cluster.teardown();
  }
}

/** How many tasks of every bench principal have succeeded, as `gateway` lists them. */
async function succeeded(gateway: ChildGateway): Promise<number> {
  let total = 0;
  for (const secret of PRINCIPALS) {
    const { body } = await postGraphql<{ tasks: { edges: Array<{ node: TaskView }> } }>(
      gateway.url,
      TASKS,
      { first: 100, status: ["SUCCEEDED"] },
      secret,
    );
    total += body.data?.tasks.edges.length ?? 0;
  }
  return total;
}

const round = (value: number) => Math.round(value * 100) / 100;

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const instances of [1, 2, 3]) {
    process.stderr.write(`running ${instances} instance(s)...\n`);
    rows.push(await run(instances));
  }
  process.stdout.write(
    `POLL_RATE_PER_SECOND=${RATE}, ${TASKS_PER_RUN} tasks of about 8.5 s each\n\n` +
      "| instances | polls per task | busiest clock second | busiest after the submits | mean polls/s | wall time (s) |\n" +
      "| --- | --- | --- | --- | --- | --- |\n" +
      rows
        .map(
          (row) =>
            `| ${row.instances} | ${row.pollsPerTask} | ${row.busiestSecond} | ${row.busiestSteadySecond} | ${row.meanPollsPerSecond} | ${row.seconds} |`,
        )
        .join("\n") +
      "\n",
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
