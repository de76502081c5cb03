import { readSimulatorEnv } from "./simulator.env";
import { startSimulator } from "./simulator.server";

/** Runs the simulator standalone: `node dist/src/simulator/simulator.main.js`. */
async function main(): Promise<void> {
  const simulator = await startSimulator(readSimulatorEnv(process.env));
  process.stdout.write(`APIMart simulator listening on ${simulator.url}\n`);
  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
