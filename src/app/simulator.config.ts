import { parseEnv, simulatorEnvSchema } from "./env.schema";

/** What `npm run simulator` runs with: the simulator alone, from its `SIMULATOR_*` variables. */
export interface StandaloneSimulatorConfig {
  port: number;
  host: string;
  /** When set, requests must carry it as their bearer token (`SIMULATOR_API_KEY`). */
  apiKey: string | undefined;
  queuedMs: number;
  processingMs: number;
  failureRate: number;
  publicUrl: string | undefined;
  /** Unset: tasks live in memory only. */
  statePath: string | undefined;
}

/** Parses the standalone simulator's environment; throws a {@link ConfigError} naming bad variables. */
export function loadSimulatorConfig(
  env: NodeJS.ProcessEnv = process.env,
): StandaloneSimulatorConfig {
  const e = parseEnv(simulatorEnvSchema, env);
  return {
    port: e.SIMULATOR_PORT,
    host: e.SIMULATOR_HOST,
    apiKey: e.SIMULATOR_API_KEY,
    queuedMs: e.SIMULATOR_QUEUED_MS,
    processingMs: e.SIMULATOR_PROCESSING_MS,
    failureRate: e.SIMULATOR_FAILURE_RATE,
    publicUrl: e.SIMULATOR_PUBLIC_URL,
    statePath: e.SIMULATOR_STATE_PATH,
  };
}
