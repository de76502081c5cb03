import { TASK, TASKS } from "../../test/helpers/operations";
import { AUTHORIZATION, startGateway, type BenchGateway } from "../lib/gateway";
import { startHelper } from "../lib/processes";
import { defineScenario, type FigureSpec, type Measured } from "../lib/scenario";
import { runLoad, type LoadFigures } from "../lib/wrk";

const CONNECTIONS = 16;
const FIGURES: FigureSpec[] = [
  { key: "perSecond", label: "throughput", unit: "req/s", better: "higher", digits: 0 },
  { key: "p50Ms", label: "p50 latency", unit: "ms", better: "lower", digits: 2 },
  { key: "p99Ms", label: "p99 latency", unit: "ms", better: "lower", digits: 2 },
];

/** A query scenario: wrk at 16 connections against a fresh gateway, then against bare Apollo. */
function queryScenario(id: string, title: string, body: (taskId: string) => unknown) {
  return defineScenario({
    id,
    title,
    floor:
      "a bare Apollo Server 5 (`startStandaloneServer`) in its own process, with the gateway's schema and constant data of the same shape, no auth, store or limits.",
    figures: FIGURES,
    notes: [
      `wrk -t1 -c${CONNECTIONS}, 3 s warm-up then 10 s measured, each side; every answer checked for data before the run.`,
    ],
    round: async () => {
      const gateway = await startGateway();
      let ours: LoadFigures;
      try {
        const payload = JSON.stringify(body(await seed(gateway)));
        await expectData(gateway.url, payload);
        ours = await runLoad({
          url: gateway.url,
          body: payload,
          authorization: AUTHORIZATION,
          connections: CONNECTIONS,
        });
      } finally {
        await gateway.stop();
      }
      const floor = await startHelper<{ url: string }>("apollo-floor", {
        env: { NODE_ENV: "production" },
      });
      let theirs: LoadFigures;
      try {
        const payload = JSON.stringify(body("any"));
        await expectData(floor.ready.url, payload);
        theirs = await runLoad({ url: floor.ready.url, body: payload, connections: CONNECTIONS });
      } finally {
        await floor.stop();
      }
      if (ours.failures || theirs.failures)
        throw new Error(`failed requests: gateway ${ours.failures}, floor ${theirs.failures}`);
      const pair = (key: keyof LoadFigures): Measured => ({
        gateway: ours[key],
        floor: theirs[key],
      });
      return { perSecond: pair("perSecond"), p50Ms: pair("p50Ms"), p99Ms: pair("p99Ms") };
    },
  });
}

/** 20 tasks of the bench principal (a full first page); returns the newest one's id. */
async function seed(gateway: BenchGateway): Promise<string> {
  let id = "";
  for (let i = 0; i < 20; i++) id = await gateway.submit(`a benchmark ${i}`);
  return id;
}

async function expectData(url: string, body: string): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: AUTHORIZATION },
    body,
  });
  const answer = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  const value = answer.data && Object.values(answer.data)[0];
  if (answer.errors || !value) throw new Error(`no data from ${url}: ${JSON.stringify(answer)}`);
}

export const scenarios = [
  queryScenario("query-task", "`task(id)` over HTTP", (id) => ({
    query: TASK,
    operationName: "Task",
    variables: { id },
  })),
  queryScenario("query-tasks-page", "a `tasks` page (`first: 20`) over HTTP", () => ({
    query: TASKS,
    operationName: "Tasks",
    variables: { first: 20 },
  })),
];
