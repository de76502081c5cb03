export type { FaultHttpStatus, FaultQueue, FaultRule, SimulatedFault } from "./simulator.faults";
export type { SimulatorOptions } from "./simulator.options";
export { startSimulator, type Simulator } from "./simulator.server";
export type { SimulatorRequestRecord, SimulatorRoute, SimulatorStats } from "./simulator.stats";
export { FAIL_MARKER } from "./simulator.tasks";
