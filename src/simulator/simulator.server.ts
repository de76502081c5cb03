import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { applyFault, SimulatorFaultQueue, type FaultQueue } from "./simulator.faults";
import { filePreflightReply, fileReply, loadSampleFiles } from "./simulator.files";
import { handleStatus, handleSubmit, type HandlerContext } from "./simulator.handlers";
import { errorReply, MAX_BODY_BYTES, readBody, writeReply } from "./simulator.http";
import { resolveSimulatorOptions, type SimulatorOptions } from "./simulator.options";
import { StatsRecorder, type SimulatorStats } from "./simulator.stats";
import { SimulatorStateFile } from "./simulator.state";
import { TaskBook } from "./simulator.tasks";

/** A running APIMart simulator. */
export interface Simulator {
  /** Where it listens, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** Faults to inject into the next matching requests. */
  readonly faults: FaultQueue;
  /** A snapshot of what has reached the simulator so far. */
  stats(): SimulatorStats;
  /**
   * Test gate: until {@link release}, no task finishes; unfinished tasks report `processing` with
   * progress at most 99. Tasks already finished stay finished. Not kept across a restart.
   */
  hold(): void;
  /**
   * Ends the hold: tasks whose normal finish time has passed finish at once (on their next read,
   * `completed` = the release time); the others finish on their normal schedule, unchanged.
   */
  release(): void;
  /** Closes the server and destroys every open socket, including hanging ones. */
  close(): Promise<void>;
}

type Target =
  | { route: "submit" }
  | { route: "status"; taskId: string }
  | { route: "other"; file?: string; preflight?: boolean };

/** Starts an HTTP server that speaks APIMart's wire format (UPSTREAM.md). */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const settings = resolveSimulatorOptions(options);
  const faults = new SimulatorFaultQueue();
  const stats = new StatsRecorder();
  const files = loadSampleFiles();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = classify(req.method, req.url);
    const record = stats.arrived(
      target.route,
      target.route === "status" ? target.taskId : undefined,
    );
    let body = "";
    if (target.route === "submit") {
      const read = await readBody(req);
      if (read === undefined) {
        const message = `Request body exceeds ${MAX_BODY_BYTES} bytes`;
        return writeReply(res, errorReply(413, message, { connection: "close" }));
      }
      body = read;
      record.body = body;
    }

    const fault = faults.take(target.route);
    record.faulted = fault !== undefined;
    const afterAccept =
      target.route === "submit" &&
      (fault?.type === "drop" || fault?.type === "hang" || fault?.type === "http") &&
      fault.afterAccept === true;
    if (fault?.type === "slow") await delay(fault.delayMs);
    else if (fault && !afterAccept) return applyFault(fault, res);

    const { authorization } = req.headers;
    let reply;
    if (target.route === "submit") {
      const key = req.headers["idempotency-key"];
      const outcome = handleSubmit(
        context,
        authorization,
        body,
        typeof key === "string" ? key : undefined,
      );
      if (outcome.taskId !== undefined) stats.accepted(record, outcome.taskId);
      reply = outcome.reply;
    } else if (target.route === "status") {
      reply = handleStatus(context, authorization, target.taskId);
    } else if (target.file !== undefined) {
      const ifRange = req.headers["if-range"];
      const conditions = {
        range: req.headers.range,
        ifRange: typeof ifRange === "string" ? ifRange : undefined,
      };
      reply = target.preflight ? filePreflightReply() : fileReply(files, target.file, conditions);
    } else {
      reply = errorReply(404, "Not found");
    }
    if (fault && fault.type !== "slow") return applyFault(fault, res);
    writeReply(res, reply, req.method === "HEAD");
  }

  const server = createServer((req, res) => {
    // A client may vanish at any point; its late errors must not crash the simulator.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  // Opened only once the port is ours, so a second simulator that fails to bind does not compact
  // the file under the running one. No request is handled before this synchronous code has run.
  let state: ReturnType<typeof SimulatorStateFile.open> | undefined;
  try {
    state =
      settings.statePath === undefined ? undefined : SimulatorStateFile.open(settings.statePath);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const tasks = new TaskBook(settings, { journal: state?.file, restored: state?.records });
  const context: HandlerContext = {
    tasks,
    apiKey: settings.apiKey,
    filesUrl: `${settings.publicUrl ?? url}/files`,
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise((resolve) => {
      timers.forEach(clearTimeout);
      timers.clear();
      server.close(() => {
        state?.file.close();
        resolve();
      });
      sockets.forEach((socket) => socket.destroy());
    }));

  return {
    url,
    faults,
    stats: () => stats.snapshot(),
    hold: () => tasks.hold(),
    release: () => tasks.release(),
    close,
  };
}

function classify(method: string | undefined, rawUrl: string | undefined): Target {
  let path: string;
  try {
    path = new URL(rawUrl ?? "/", "http://simulator.invalid").pathname;
  } catch {
    return { route: "other" };
  }
  if (method === "POST" && path === "/v1/videos/generations") return { route: "submit" };
  const status = /^\/v1\/tasks\/([^/]+)$/.exec(path);
  if (method === "GET" && status) return { route: "status", taskId: decodeSegment(status[1]) };
  const file = /^\/files\/([^/]+)$/.exec(path);
  if ((method === "GET" || method === "HEAD") && file) return { route: "other", file: file[1] };
  if (method === "OPTIONS" && file) return { route: "other", file: file[1], preflight: true };
  return { route: "other" };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
