import { TASK_UPDATED } from "../../test/helpers/operations";
import { AUTHORIZATION, startGateway } from "../lib/gateway";
import { sleep, startHelper } from "../lib/processes";
import { defineScenario } from "../lib/scenario";

const WATCHERS = [100, 1000];
const INTERVAL_MS = 250;
const WINDOW_MS = 3000;
let sourceAddress = 0;

export const scenarios = [
  defineScenario({
    id: "polls-per-task",
    title: "upstream polls of one task, by number of watchers",
    floor: "the same task with no watcher, in the same round.",
    figures: WATCHERS.map((n) => ({
      key: `polls${n}`,
      label: `polls with ${n} watchers`,
      unit: "",
      better: "lower" as const,
      digits: 0,
    })),
    notes: [
      `One task kept processing by the simulator, polled every ${INTERVAL_MS} ms without jitter (so ${WINDOW_MS / INTERVAL_MS} polls are due in the window); once every watcher (one socket each) has its snapshot, the status polls the simulator receives for ${WINDOW_MS / 1000} s are counted.`,
    ],
    round: async () => {
      const floor = await pollsWith(0);
      const figures: Record<string, { gateway: number; floor: number }> = {};
      for (const n of WATCHERS) figures[`polls${n}`] = { gateway: await pollsWith(n), floor };
      return figures;
    },
  }),
];

async function pollsWith(watchers: number): Promise<number> {
  const gateway = await startGateway(
    {
      POLL_INTERVAL_MS: String(INTERVAL_MS),
      POLL_MAX_INTERVAL_MS: String(INTERVAL_MS),
      POLL_JITTER_RATIO: "0",
    },
    { simulatorEnv: { SIMULATOR_QUEUED_MS: "0", SIMULATOR_PROCESSING_MS: "0" } },
  );
  const client = watchers > 0 ? await startHelper("watchers") : null;
  try {
    await gateway.simulator.ask("hold");
    const taskId = await gateway.submit("polled once, watched by many");
    if (client) {
      const started = client.next<{ started: number }>("started");
      client.child.send({
        type: "run",
        payload: {
          wsUrl: gateway.wsUrl,
          count: watchers,
          query: TASK_UPDATED,
          variables: { id: taskId },
          authorization: AUTHORIZATION,
          localAddress: `127.250.${Math.floor(sourceAddress / 250)}.${1 + (sourceAddress++ % 250)}`,
          startTimeoutMs: 30_000,
        },
      });
      if ((await started).started !== watchers) throw new Error("not every watcher started");
    }
    await sleep(500);
    const t0 = Date.now();
    await sleep(WINDOW_MS);
    const { times } = await gateway.simulator.ask<{ times: number[] }>("polls", { since: t0 });
    return times.filter((at) => at < t0 + WINDOW_MS).length;
  } finally {
    await client?.stop();
    await gateway.stop();
  }
}
