import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { report, serve } from "./ipc";

interface Plan {
  wsUrl: string;
  count: number;
  query: string;
  variables: Record<string, unknown>;
  authorization?: string;
  /** Source address for this process's sockets (a fresh one per process: no port reuse across runs). */
  localAddress: string;
  /** Give up on a socket that has not had its snapshot by then. */
  startTimeoutMs: number;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Watcher clients, run several at a time by the harness: `count` sockets opened at once, each with
 * one `graphql-transport-ws` subscription. Reports `started` when every socket has its first event
 * (the snapshot) or has failed, then `changed` with the receipt times of the next event.
 */
function run(plan: Plan): () => unknown {
  let started = 0;
  let failed = 0;
  let changed = 0;
  let first = Infinity;
  let last = -Infinity;
  const reasons: Record<string, number> = {};
  const sockets: WebSocket[] = [];
  const fail = (reason: string) => {
    failed += 1;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    settleStart();
  };
  let startReported = false;
  const settleStart = () => {
    if (startReported || started + failed < plan.count) return;
    startReported = true;
    report("started", { started, failed, reasons });
  };
  const deadline = setTimeout(() => {
    for (const socket of sockets)
      if (!(socket as { started?: boolean }).started) socket.terminate();
  }, plan.startTimeoutMs);
  deadline.unref();
  for (let i = 0; i < plan.count; i++) {
    const socket = new WebSocket(plan.wsUrl, "graphql-transport-ws", {
      localAddress: plan.localAddress,
      perMessageDeflate: false,
    });
    const state = socket as WebSocket & { started?: boolean; events?: number; done?: boolean };
    sockets.push(socket);
    socket.on("open", () =>
      socket.send(
        JSON.stringify({ type: "connection_init", payload: { authorization: plan.authorization } }),
      ),
    );
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === "connection_ack") {
        socket.send(
          JSON.stringify({
            id: "1",
            type: "subscribe",
            payload: { query: plan.query, variables: plan.variables },
          }),
        );
      } else if (message.type === "next") {
        state.events = (state.events ?? 0) + 1;
        if (state.events === 1) {
          state.started = true;
          started += 1;
          settleStart();
        } else if (state.events === 2) {
          const at = now();
          first = Math.min(first, at);
          last = Math.max(last, at);
          changed += 1;
          if (changed === started) report("changed", { changed, first, last });
        }
      } else if (message.type === "error") {
        if (!state.started) fail(`error:${JSON.stringify(message).slice(0, 120)}`);
        state.done = true;
      }
    });
    socket.on("error", (error) => {
      if (!state.started && !state.done) {
        state.done = true;
        fail(`socket:${(error as NodeJS.ErrnoException).code ?? error.message}`);
      }
    });
    socket.on("close", (code) => {
      if (!state.started && !state.done) {
        state.done = true;
        fail(`close:${code}`);
      }
    });
  }
  return () => ({ started, failed, changed, first, last, reasons });
}

let progress: () => unknown = () => null;

serve(
  { pid: process.pid },
  {
    run: (plan) => {
      progress = run(plan as Plan);
    },
    /** What has arrived so far (for a run where not every socket got the change in time). */
    progress: () => progress(),
  },
);
