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

/**
 * Runs `src/app/main.ts` in its own process (as `npm start` would, minus the build), so a test can kill it
 * with a signal. Resolves once it prints its URL.
 */
export function spawnGateway(env: Record<string, string>): Promise<ChildGateway> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src/app/main.ts")],
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
