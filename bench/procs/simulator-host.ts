import { startSimulator } from "../../src/simulator/simulator.server";
import { serve } from "./ipc";

/**
 * The APIMart simulator in a process of its own, so the gateway's process holds only the gateway;
 * the harness reads its counters and holds or releases its jobs over IPC.
 */
async function main(): Promise<void> {
  const simulator = await startSimulator({
    host: "127.0.0.1",
    apiKey: process.env.SIMULATOR_API_KEY,
    queuedMs: Number(process.env.SIMULATOR_QUEUED_MS ?? 0),
    processingMs: Number(process.env.SIMULATOR_PROCESSING_MS ?? 600_000),
    failureRate: 0,
  });
  serve(
    { url: simulator.url, pid: process.pid },
    {
      hold: () => simulator.hold(),
      release: () => simulator.release(),
      /** Status polls: their arrival times since `since`, and the count for one task if named. */
      polls: (payload) => {
        const { since = 0, taskId } = (payload ?? {}) as { since?: number; taskId?: string };
        const stats = simulator.stats();
        const times: number[] = [];
        for (const r of stats.requests) if (r.route === "status" && r.at >= since) times.push(r.at);
        return { times, ofTask: taskId ? (stats.pollsByTask[taskId] ?? 0) : null };
      },
      /** The upstream id of the newest task, for the direct-submit floor. */
      accepted: () => simulator.stats().acceptedSubmits,
    },
  );
}

void main();
