import { AUTHORIZATION, startGateway } from "../lib/gateway";
import { sleep, startHelper } from "../lib/processes";
import { defineScenario, type Measured } from "../lib/scenario";
import { watch, type WatcherFigures } from "../lib/watchers";

/** How long a held task takes to reach its last progress (99), after which it only changes on release. */
const PROCESSING_MS = 300;
/**
 * The floor listens with the kernel's usual cap (`net.core.somaxconn`) rather than Node's 511, so a
 * connect storm measures graphql-ws, not a short accept queue.
 */
const FLOOR_BACKLOG = 4096;

function watchersScenario(count: number) {
  return defineScenario({
    id: `watchers-${count}`,
    title: `${count.toLocaleString("en-US")} watchers of one task, connecting at once over WebSocket`,
    floor:
      "a bare graphql-ws server (`useServer` on `ws`) with the gateway's schema and an in-memory pub/sub, in its own process; no auth, caps or store.",
    figures: [
      {
        key: "failures",
        label: "watchers that failed to start",
        unit: "",
        better: "lower",
        digits: 0,
      },
      {
        key: "connectSeconds",
        label: "first connect to last snapshot",
        unit: "s",
        better: "lower",
        digits: 2,
      },
      { key: "rssPerWatcherKiB", label: "server RSS per watcher", unit: "KiB", better: "lower" },
      {
        key: "spreadMs",
        label: "one change, first to last receipt",
        unit: "ms",
        better: "lower",
        digits: 0,
      },
      {
        key: "missed",
        label: "started watchers that missed the change",
        unit: "",
        better: "lower",
        digits: 0,
      },
    ],
    notes: [
      "One socket and one `taskUpdated` per watcher, from client processes of 2,500 sockets each, each on its own 127.x source address. Every watcher is the task's owner (one client key), so the bench raises `MAX_SUBSCRIPTIONS_PER_CLIENT`; the per-connection limits keep their defaults.",
      `The floor listens with a backlog of ${FLOOR_BACKLOG}. RSS is VmRSS of the server process from \`/proc/<pid>/status\`, after all watchers are in minus before the first connects, divided by the watchers that started. The change is the task's terminal status (the simulator is released; the floor publishes it).`,
    ],
    round: async () => {
      const ours = await onGateway(count);
      const theirs = await onFloor(count);
      const pair = (key: keyof Omit<WatcherFigures, "reasons">): Measured => ({
        gateway: ours[key],
        floor: theirs[key],
      });
      if (ours.failures || theirs.failures)
        process.stdout.write(
          `  failures: gateway ${JSON.stringify(ours.reasons)} floor ${JSON.stringify(theirs.reasons)}\n`,
        );
      return {
        failures: pair("failures"),
        connectSeconds: pair("connectSeconds"),
        rssPerWatcherKiB: pair("rssPerWatcherKiB"),
        spreadMs: pair("spreadMs"),
        missed: pair("missed"),
      };
    },
  });
}

async function onGateway(count: number): Promise<WatcherFigures> {
  const gateway = await startGateway(
    { POLL_INTERVAL_MS: "100", POLL_MAX_INTERVAL_MS: "200", POLL_JITTER_RATIO: "0" },
    { simulatorEnv: { SIMULATOR_QUEUED_MS: "0", SIMULATOR_PROCESSING_MS: String(PROCESSING_MS) } },
  );
  try {
    await gateway.simulator.ask("hold");
    const taskId = await gateway.submit("watched by many");
    await sleep(PROCESSING_MS + 1000); // progress 99 stored: nothing changes until the release
    return await watch({
      serverPid: gateway.pid,
      wsUrl: gateway.wsUrl,
      taskId,
      count,
      authorization: AUTHORIZATION,
      change: () => gateway.simulator.ask("release"),
    });
  } finally {
    await gateway.stop();
  }
}

async function onFloor(count: number): Promise<WatcherFigures> {
  const floor = await startHelper<{ url: string; pid: number }>("ws-floor", {
    env: { NODE_ENV: "production", BENCH_LISTEN_BACKLOG: String(FLOOR_BACKLOG) },
  });
  try {
    const taskId = "tsk_watched";
    return await watch({
      serverPid: floor.ready.pid,
      wsUrl: floor.ready.url.replace(/^http/, "ws"),
      taskId,
      count,
      change: () => floor.ask("finish", taskId),
    });
  } finally {
    await floor.stop();
  }
}

export const scenarios = [1000, 5000, 10_000].map(watchersScenario);
