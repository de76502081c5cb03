import { TASK_UPDATED } from "../../test/helpers/operations";
import { rssBytes, sleep, startHelper, type Helper } from "./processes";

/** Sockets per client process: well inside one process's descriptors and one source address's ports. */
const PER_PROCESS = 2500;
/** About as long as Linux keeps retrying a SYN before a connect fails (`tcp_syn_retries` = 6). */
const START_TIMEOUT_MS = 120_000;
const CHANGE_TIMEOUT_MS = 30_000;

let addresses = 0;
/** A source address not used before by this run, so sockets closed by earlier rounds never collide. */
function freshSourceAddress(): string {
  const n = addresses++;
  return `127.${1 + (process.pid % 200)}.${Math.floor(n / 250)}.${1 + (n % 250)}`;
}

interface Started {
  started: number;
  failed: number;
  reasons: Record<string, number>;
}
interface Changed {
  changed: number;
  first: number;
  last: number;
}

export interface WatcherFigures {
  failures: number;
  /** Seconds from the first connect to the last snapshot (or failure). */
  connectSeconds: number;
  rssPerWatcherKiB: number;
  /** First to last receipt of the one change, over every watcher that had started. */
  spreadMs: number;
  /** Watchers that started but never saw the change. */
  missed: number;
  reasons: Record<string, number>;
}

/**
 * `count` watchers of one task on one server, all connecting at once from client processes of their
 * own (one socket and one `taskUpdated` each). Measures the server's RSS from `/proc` before and
 * after they are all in, then has `change()` make one change and times its arrival at each.
 */
export async function watch(options: {
  serverPid: number;
  wsUrl: string;
  taskId: string;
  count: number;
  authorization?: string;
  change: () => Promise<unknown>;
}): Promise<WatcherFigures> {
  const processes = Math.ceil(options.count / PER_PROCESS);
  const clients: Helper<unknown>[] = await Promise.all(
    Array.from({ length: processes }, () => startHelper("watchers")),
  );
  try {
    await sleep(500);
    const rssBefore = rssBytes(options.serverPid);
    const started = clients.map((c) => c.next<Started>("started"));
    const t0 = Date.now();
    clients.forEach((client, i) =>
      client.child.send({
        type: "run",
        payload: {
          wsUrl: options.wsUrl,
          count: Math.min(PER_PROCESS, options.count - i * PER_PROCESS),
          query: TASK_UPDATED,
          variables: { id: options.taskId },
          authorization: options.authorization,
          localAddress: freshSourceAddress(),
          startTimeoutMs: START_TIMEOUT_MS,
        },
      }),
    );
    const counts = await Promise.all(started);
    const connectSeconds = (Date.now() - t0) / 1000;
    await sleep(1000);
    const rssAfter = rssBytes(options.serverPid);
    const startedTotal = counts.reduce((n, c) => n + c.started, 0);
    const changed = clients.map((c) => c.next<Changed>("changed"));
    await options.change();
    let timer: NodeJS.Timeout | undefined;
    const arrivals = await Promise.race([
      Promise.all(changed),
      new Promise<Changed[]>((resolve) => {
        timer = setTimeout(
          () => resolve(Promise.all(clients.map((c) => c.ask<Changed>("progress")))),
          CHANGE_TIMEOUT_MS,
        );
      }),
    ]);
    clearTimeout(timer);
    const reasons: Record<string, number> = {};
    for (const c of counts)
      for (const [k, v] of Object.entries(c.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
    const got = arrivals.filter((a) => a.changed > 0);
    return {
      failures: counts.reduce((n, c) => n + c.failed, 0),
      connectSeconds,
      rssPerWatcherKiB: (rssAfter - rssBefore) / Math.max(1, startedTotal) / 1024,
      spreadMs: got.length
        ? Math.max(...got.map((a) => a.last)) - Math.min(...got.map((a) => a.first))
        : NaN,
      missed: startedTotal - arrivals.reduce((n, a) => n + a.changed, 0),
      reasons,
    };
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
  }
}
