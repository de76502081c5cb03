import { startSimulator } from "../simulator/simulator.server";
import { ConfigError } from "./env.schema";
import { loadSimulatorConfig } from "./simulator.config";

/** Runs the APIMart simulator alone (`npm run simulator`), configured by `SIMULATOR_*` variables. */
async function main(): Promise<void> {
  const simulator = await startSimulator(loadSimulatorConfig());
  process.stdout.write(`APIMart simulator listening on ${simulator.url}\n`);
  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : error;
  process.stderr.write(`simulator: ${String(message)}\n`);
  process.exit(1);
});
