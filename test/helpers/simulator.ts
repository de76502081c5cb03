import { loadSimulatorConfig } from "../../src/app/simulator.config";
import { startSimulator, type Simulator } from "../../src/simulator/simulator.server";
import type { SimulatorOptions } from "../../src/simulator/simulator.options";

/** The simulator with its configured defaults (as `npm run simulator` has them), on a free port. */
export function startTestSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const { apiKey: _none, statePath: _memory, ...defaults } = loadSimulatorConfig({});
  return startSimulator({ ...defaults, port: 0, ...overrides });
}
