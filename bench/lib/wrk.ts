import { execFile } from "node:child_process";
import path from "node:path";
import { ROOT } from "./processes";

/** What one wrk run measured. */
export interface LoadFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and non-2xx answers; a valid run has none. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  body: string;
  authorization?: string;
  /** @default 16 */
  connections?: number;
  /** @default 10 */
  seconds?: number;
  /** Seconds of the same load run first and thrown away (JIT, caches, connection set-up). @default 3 */
  warmupSeconds?: number;
}

const SCRIPT = path.join(ROOT, "bench/lib/post.lua");

/**
 * Load from Debian's `wrk` (C, epoll, one thread) in its own process: on a 2-core machine every cycle
 * the load generator takes is taken from the server, and wrk takes a fraction of what a Node client
 * would, so the server under test gets as much of the machine as it can. Latencies are wrk's
 * (coordinated omission corrected by its HdrHistogram at a closed loop of `connections` requests).
 */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const { warmupSeconds = 3 } = options;
  if (warmupSeconds > 0) await wrk(options, warmupSeconds);
  return wrk(options, options.seconds ?? 10);
}

async function wrk(options: LoadOptions, seconds: number): Promise<LoadFigures> {
  const connections = options.connections ?? 16;
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", SCRIPT];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      "wrk",
      [...args, options.url],
      {
        env: {
          ...process.env,
          WRK_BODY: options.body,
          WRK_AUTHORIZATION: options.authorization ?? "",
        },
      },
      (error, out, err) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT")
          return reject(new Error("wrk is not installed: apt-get install wrk"));
        if (error) return reject(new Error(`wrk failed: ${err || error.message}`));
        resolve(out);
      },
    ),
  );
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const r = JSON.parse(line) as {
    requests: number;
    durationUs: number;
    socketErrors: number;
    non2xx: number;
    p50Us: number;
    p99Us: number;
  };
  return {
    perSecond: r.requests / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    failures: r.socketErrors + r.non2xx,
  };
}
