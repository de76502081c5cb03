import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface ChildGateway {
  url: string;
  wsUrl: string;
  /** Its id among a cluster's instances, from its ready line. */
  instanceId: string;
  process: ChildProcess;
  /** Settles when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

const ROOT = path.resolve(__dirname, "../..");

/** How a gateway process that was expected to refuse to start ended. */
export interface FailedStart {
  /** Null when the process had to be killed (it did not exit by itself within the time allowed). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

/**
 * Runs `src/app/main.ts` expecting it to exit by itself (a start-up failure) within `timeoutMs`;
 * kills it with SIGKILL if it does not, and resolves with what it printed either way.
 */
export function runFailingStart(
  env: Record<string, string>,
  timeoutMs: number,
): Promise<FailedStart> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src/app/main.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", SIMULATOR_PORT: "0", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/**
 * Runs `src/app/main.ts` in its own process (as `npm start` would, minus the build), so a test can kill
 * it with a signal; with `built`, runs `dist/src/app/main.js` from `npm run build` instead, without
 * ts-node in the process (for memory figures). Resolves once it prints its URL.
 */
export function spawnGateway(
  env: Record<string, string>,
  { built = false }: { built?: boolean } = {},
): Promise<ChildGateway> {
  const child = spawn(
    process.execPath,
    built
      ? [path.join(ROOT, "dist/src/app/main.js")]
      : ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src/app/main.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", SIMULATOR_PORT: "0", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /video-gateway ready at (http:\/\/\S+) \(instance (\S+)\)/.exec(output);
      if (match) {
        resolve({
          url: match[1],
          instanceId: match[2],
          wsUrl: match[1].replace(/^http/, "ws"),
          process: child,
          exited,
          output: () => output,
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    exited.then(({ code }) =>
      reject(new Error(`gateway exited (${code}) before ready:\n${output}`)),
    );
  });
}
