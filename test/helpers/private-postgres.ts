import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port, that the test can
 * stop, start, freeze and thaw: the shared server on 5432 is not ours to take down.
 */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth). */
  url: string;
  /** Fast shutdown: open sessions end with 57P01, new connections are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to every process of the server: connections open, but nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Stops the server (thawing it first) and removes its folder. */
  destroy(): Promise<void>;
}

/** Where initdb and pg_ctl are: `PG_BINDIR`, else what pg_config says. */
async function binDir(): Promise<string> {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  return (await run("pg_config", ["--bindir"])).stdout.trim();
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
function asServerUser(command: string, args: string[]) {
  return process.getuid?.() === 0
    ? run("runuser", ["-u", "postgres", "--", command, ...args])
    : run(command, args);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The postmaster's pid and its children's (the backends and background workers). */
function serverPids(dataDir: string): number[] {
  const postmaster = Number(
    fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0],
  );
  const children = fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the command name, which is in parentheses: state, then the parent's pid.
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
      } catch {
        return false; // it ended meanwhile
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "video-gateway-pg-"));
  if (process.getuid?.() === 0) await run("chown", ["postgres:", dir]);
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  await asServerUser(path.join(bin, "initdb"), [
    ...["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
  ]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (...args: string[]) =>
    asServerUser(path.join(bin, "pg_ctl"), ["-D", dataDir, "-w", ...args]);
  const start = async () => void (await pgCtl("-o", options, "-l", path.join(dir, "log"), "start"));
  let frozen: number[] = [];
  const thaw = () => {
    frozen.forEach((pid) => process.kill(pid, "SIGCONT"));
    frozen = [];
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop: async () => void (await pgCtl("-m", "fast", "stop")),
    freeze: () => {
      frozen = serverPids(dataDir);
      frozen.forEach((pid) => process.kill(pid, "SIGSTOP"));
    },
    thaw,
    destroy: async () => {
      thaw();
      await pgCtl("-m", "immediate", "stop").catch(() => undefined); // it may be stopped already
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
