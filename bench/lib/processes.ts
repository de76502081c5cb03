import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The compiled bench (`dist/bench`), where every helper process's script lives. */
export const BENCH_DIST = path.resolve(__dirname, "..");
export const ROOT = path.resolve(BENCH_DIST, "../..");

const running = new Set<ChildProcess>();
// However the harness ends, nothing it started outlives it.
process.on("exit", () => running.forEach((child) => child.kill("SIGKILL")));

/** Kills `child` when the harness exits, if it is still running then. */
export function ownChild(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** A helper process on an IPC channel: it sends `{ ready: ... }` once, then answers requests. */
export interface Helper<Ready> {
  child: ChildProcess;
  ready: Ready;
  /** Sends a request and resolves with the next message whose `reply` matches its `type`. */
  ask<T = unknown>(type: string, payload?: unknown): Promise<T>;
  /** Resolves with the next message of this `event` kind. */
  next<T = unknown>(event: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts `dist/bench/procs/<name>.js` (or any script) in its own Node process and waits for its
 * `ready` message. Output goes to the parent's stderr only when the process fails.
 */
export function startHelper<Ready>(
  script: string,
  options: {
    args?: string[];
    env?: Record<string, string>;
    execArgv?: string[];
    timeoutMs?: number;
  } = {},
): Promise<Helper<Ready>> {
  const file = path.isAbsolute(script) ? script : path.join(BENCH_DIST, "procs", `${script}.js`);
  const child = ownChild(
    fork(file, options.args ?? [], {
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv ?? [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    }),
  );
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const waiting = new Map<string, Array<(value: unknown) => void>>();
  child.on("message", (message: { reply?: string; event?: string; value?: unknown }) => {
    const key = message.reply ?? message.event;
    const resolve = key ? waiting.get(key)?.shift() : undefined;
    resolve?.(message.value);
  });
  const wait = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const list = waiting.get(key) ?? [];
      waiting.set(key, [...list, resolve as (value: unknown) => void]);
    });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not start:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before ready:\n${output}`));
    });
    wait<Ready>("ready").then((ready) => {
      clearTimeout(timer);
      resolve({
        child,
        ready,
        ask: (type, payload) => {
          const answer = wait<never>(type);
          child.send({ type, payload });
          return answer;
        },
        next: (event) => wait<never>(event),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

/** Resident memory of a process, from `/proc/<pid>/status` (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kib) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib[1]) * 1024;
}

/** CPU time a process has used so far (user + system), in seconds, from `/proc/<pid>/stat`. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
