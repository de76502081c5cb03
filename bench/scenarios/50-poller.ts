import { startGateway, type BenchGateway } from "../lib/gateway";
import { cpuSeconds, sleep } from "../lib/processes";
import { defineScenario } from "../lib/scenario";
import { busiestWindow } from "../lib/stats";

const TASKS = 10_000;
const RATE = 500;
const WINDOW_MS = 10_000;

/** Reads a gauge from a Prometheus text exposition. */
const gauge = (text: string, name: string) =>
  Number(new RegExp(`^${name} ([0-9.e+-]+)$`, "m").exec(text)?.[1] ?? NaN);

export const scenarios = [
  defineScenario<BenchGateway>({
    id: "poller",
    title: `the poller at ${TASKS.toLocaleString("en-US")} active tasks, POLL_RATE_PER_SECOND=${RATE}`,
    floor: `the configured rate R = ${RATE} polls/s (the most any one-second window may hold).`,
    figures: [
      { key: "perSecond", label: "polls achieved", unit: "polls/s", better: "higher", digits: 0 },
      {
        key: "busiestSecond",
        label: "busiest one-second window",
        unit: "polls",
        better: "lower",
        digits: 0,
      },
      {
        key: "cpuPercent",
        label: "gateway CPU",
        unit: "% of one core",
        better: "lower",
        digits: 0,
      },
      { key: "lagP99Ms", label: "event-loop lag p99", unit: "ms", better: "lower" },
      { key: "lagMaxMs", label: "event-loop lag max", unit: "ms", better: "lower" },
    ],
    notes: [
      `${TASKS.toLocaleString("en-US")} tasks submitted through the gateway, held unfinished by the simulator; each polled every 2 s (far more demand than R), \`POLL_CONCURRENCY=64\`. One gateway serves the three rounds; each round is a ${WINDOW_MS / 1000} s window. Polls are counted where they arrive (the simulator), CPU from \`/proc/<pid>/stat\`, event-loop lag from the gateway's own \`/metrics\` (prom-client's \`nodejs_eventloop_lag_*\`, reset at each scrape).`,
    ],
    prepare: async () => {
      const gateway = await startGateway(
        { POLL_RATE_PER_SECOND: String(RATE), POLL_CONCURRENCY: "64", POLL_INTERVAL_MS: "2000" },
        { simulatorEnv: { SIMULATOR_QUEUED_MS: "0", SIMULATOR_PROCESSING_MS: "3600000" } },
      );
      await gateway.simulator.ask("hold");
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < TASKS) {
            next += 1;
            await gateway.submit(`task ${next}`);
          }
        }),
      );
      await sleep(3000); // every task has had its first poll: the queue is at its steady state
      return gateway;
    },
    round: async (gateway) => {
      await gateway.metrics(); // resets the lag histogram
      const cpu0 = cpuSeconds(gateway.pid);
      const t0 = Date.now();
      await sleep(WINDOW_MS);
      const t1 = Date.now();
      const cpu = cpuSeconds(gateway.pid) - cpu0;
      const metrics = await gateway.metrics();
      const { times } = await gateway.simulator.ask<{ times: number[] }>("polls", { since: t0 });
      const inWindow = times.filter((at) => at < t1);
      const seconds = (t1 - t0) / 1000;
      return {
        perSecond: { gateway: inWindow.length / seconds, floor: RATE },
        busiestSecond: { gateway: busiestWindow(inWindow, 1000), floor: RATE },
        cpuPercent: { gateway: (cpu / seconds) * 100, floor: null },
        lagP99Ms: {
          gateway: gauge(metrics, "nodejs_eventloop_lag_p99_seconds") * 1000,
          floor: null,
        },
        lagMaxMs: {
          gateway: gauge(metrics, "nodejs_eventloop_lag_max_seconds") * 1000,
          floor: null,
        },
      };
    },
    finish: (gateway) => gateway.stop(),
  }),
];
