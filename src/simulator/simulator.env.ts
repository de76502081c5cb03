import { z } from "zod";
import { PUBLIC_URL_RULE, toBaseUrl, type SimulatorOptions } from "./simulator.options";

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .refine((value) => value <= max, { error: `must be at most ${max}` });

const ENV_SCHEMA = z.object({
  SIMULATOR_PORT: wholeNumber(65535).default(4010),
  SIMULATOR_HOST: z.string().default("127.0.0.1"),
  SIMULATOR_API_KEY: z.string().optional(),
  SIMULATOR_QUEUED_MS: wholeNumber(Number.MAX_SAFE_INTEGER).optional(),
  SIMULATOR_PROCESSING_MS: wholeNumber(Number.MAX_SAFE_INTEGER).optional(),
  SIMULATOR_FAILURE_RATE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, { error: "must be a number from 0 to 1" })
    .transform(Number)
    .optional(),
  SIMULATOR_PUBLIC_URL: z
    .string()
    .refine((value) => toBaseUrl(value) !== null, { error: PUBLIC_URL_RULE })
    .optional(),
  SIMULATOR_STATE_PATH: z.string().optional(),
});

/** Reads the standalone simulator's options from `SIMULATOR_*` variables; empty counts as unset. */
export function readSimulatorEnv(env: NodeJS.ProcessEnv): SimulatorOptions {
  const present = Object.fromEntries(
    Object.keys(ENV_SCHEMA.shape)
      .filter((name) => env[name] !== undefined && env[name] !== "")
      .map((name) => [name, env[name]]),
  );
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const name = String(issue.path[0]);
    // A URL may carry a password: it is named, never echoed.
    const shown = name.endsWith("_URL") ? "" : ` (got ${JSON.stringify(env[name])})`;
    throw new Error(`${name} ${issue.message}${shown}`);
  }
  const vars = parsed.data;
  return {
    port: vars.SIMULATOR_PORT,
    host: vars.SIMULATOR_HOST,
    apiKey: vars.SIMULATOR_API_KEY,
    queuedMs: vars.SIMULATOR_QUEUED_MS,
    processingMs: vars.SIMULATOR_PROCESSING_MS,
    failureRate: vars.SIMULATOR_FAILURE_RATE,
    publicUrl: vars.SIMULATOR_PUBLIC_URL,
    statePath: vars.SIMULATOR_STATE_PATH,
  };
}
