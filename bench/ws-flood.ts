import "reflect-metadata";
import net from "node:net";
import fs from "node:fs";
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { spawnGateway, type ChildGateway } from "../test/helpers/child-gateway";
import { GENERATE_FROM_TEXT, TASKS } from "../test/helpers/operations";
import { RawWsClient } from "../test/helpers/raw-ws-client";
import { postGraphql, tempDatabasePath, waitFor } from "../test/helpers/test-gateway";

/**
 * A client that floods the gateway and never reads its socket, against a gateway in its own process
 * (`dist/`, NODE_ENV=production): the gateway's RSS before, at peak and after, and how long a
 * well-behaved client's query takes meanwhile. Not part of `npm run bench`: it is an attack.
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/ws-flood.ts [scenario] [count]
 *
 * scenario: `ws` (default; `count` subscribe messages carrying a 100-task page on one WebSocket),
 * `http-pipeline` (`count` pipelined POSTs of the same page on one keep-alive connection),
 * `http-pipeline-small` (the same with a 50-byte query for the pages' prompts: more requests fit in
 * one read) or `http-slow-readers` (`count` connections, each asking for the page once).
 */

const KEY = "flood-secret-0123456789";
const PROBE = `{ tasks(first: 1) { pageInfo { hasNextPage } } }`;
const PAGE = { query: TASKS, variables: { first: 100 } };
const SMALL_PAGE = { query: "{tasks(first:100){edges{node{request{prompt}}}}}" };
/** How long the flooding client stays connected without reading. */
const FLOOD_MS = 20_000;
/** How long after it leaves the "after" reading is taken. */
const SETTLE_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib: number) => Math.round(kib / 1024);

/** VmRSS and VmHWM of a process, in KiB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/** How many of the clients' connections (by their local ports) the gateway on `port` still holds open. */
function heldByGateway(port: number, clientPorts: number[]): number {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const mine = new Set(clientPorts.map(hex));
  return ["/proc/net/tcp", "/proc/net/tcp6"]
    .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, local, remote, state]) =>
        local?.endsWith(`:${hex(port)}`) && mine.has(remote.split(":")[1]) && state === "01",
    ).length;
}

/** 100 tasks with 1000-character prompts, finished, so a page of 100 is about 140 KB of JSON. */
async function seed(gateway: ChildGateway): Promise<number> {
  const prompt = "a paper boat drifts down a rainy street, lit by shop windows; ".repeat(16);
  for (let i = 0; i < 100; i++) {
    const { body } = await postGraphql(gateway.url, GENERATE_FROM_TEXT, { input: { prompt } }, KEY);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  }
  await waitFor(
    async () => {
      const { body } = await postGraphql<{ tasks: { edges: unknown[] } }>(
        gateway.url,
        `{ tasks(first: 100, status: [SUCCEEDED]) { edges { cursor } } }`,
        {},
        KEY,
      );
      return body.data?.tasks.edges.length === 100;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: "the seeded tasks to finish" },
  );
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: JSON.stringify(PAGE),
  });
  return (await response.text()).length;
}

/** Well-behaved clients asking for one task, over HTTP and over WebSocket, until `stop()`. */
function probe(gateway: ChildGateway) {
  const latencies = { http: [] as number[], ws: [] as number[] };
  const failures = { http: 0, ws: 0 };
  let running = true;
  const ws = createClient({
    url: gateway.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${KEY}` },
    retryAttempts: 0,
  });
  const timed = async (transport: "http" | "ws", run: () => Promise<unknown>) => {
    const t0 = performance.now();
    try {
      await Promise.race([run(), sleep(30_000).then(() => Promise.reject(new Error("timeout")))]);
      latencies[transport].push(performance.now() - t0);
    } catch {
      failures[transport] += 1;
    }
  };
  const loop = async (transport: "http" | "ws", run: () => Promise<unknown>) => {
    while (running) {
      await timed(transport, run);
      await sleep(100);
    }
  };
  // Independent loops, so a stalled WebSocket probe does not hide the HTTP figures (or the reverse).
  const done = Promise.all([
    loop("http", async () => {
      const { body } = await postGraphql(gateway.url, PROBE, {}, KEY);
      if (body.errors) throw new Error("probe failed");
    }),
    loop("ws", async () => {
      const result = await ws.iterate({ query: PROBE }).next();
      if (result.value?.errors) throw new Error("probe failed");
    }),
  ]);
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) =>
      Math.round(sorted[Math.floor((p / 100) * (sorted.length - 1))] ?? NaN);
    return { count: sorted.length, p50Ms: at(50), maxMs: at(100) };
  };
  return {
    stop: async () => {
      running = false;
      await done;
      await ws.dispose();
      return {
        http: { ...summary(latencies.http), failures: failures.http },
        ws: { ...summary(latencies.ws), failures: failures.ws },
      };
    },
  };
}

/** Authenticates, stops reading, and sends `count` subscribe messages carrying the page. */
async function wsFlood(gateway: ChildGateway, count: number, window: Promise<unknown>) {
  const client = await RawWsClient.connect(gateway.wsUrl);
  await client.init(KEY);
  client.pause();
  for (let from = 1; from <= count; from += 500) {
    const ids = Array.from({ length: Math.min(500, count - from + 1) }, (_, i) => from + i);
    client.send(ids.map((id) => ({ id: String(id), type: "subscribe", payload: PAGE })));
  }
  await window;
  const held = heldByGateway(gatewayPort(gateway), [client.localPort]);
  client.destroy();
  return { connectionsHeldByGatewayAtEnd: held };
}

const gatewayPort = (gateway: ChildGateway) => Number(new URL(gateway.url).port);

/** A POST of the page, raw. */
function pageRequest(gateway: ChildGateway, page: object = PAGE): string {
  const body = JSON.stringify(page);
  return (
    `POST /graphql HTTP/1.1\r\nHost: ${new URL(gateway.url).host}\r\n` +
    `Content-Type: application/json\r\nAuthorization: Bearer ${KEY}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** A TCP connection to the gateway that never reads. */
async function nonReadingSocket(gateway: ChildGateway): Promise<net.Socket> {
  const socket = net.connect(gatewayPort(gateway), new URL(gateway.url).hostname);
  socket.on("error", () => undefined);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.pause();
  return socket;
}

/** `count` POSTs of `page` on one keep-alive connection, written at once, never read. */
function httpPipeline(page: object) {
  return async (gateway: ChildGateway, count: number, window: Promise<unknown>) => {
    const socket = await nonReadingSocket(gateway);
    socket.write(pageRequest(gateway, page).repeat(count));
    await window;
    const held = heldByGateway(gatewayPort(gateway), [socket.localPort!]);
    socket.destroy();
    return { connectionsHeldByGatewayAtEnd: held };
  };
}

/** `count` connections, each asking for the page once and never reading the answer. */
async function httpSlowReaders(gateway: ChildGateway, count: number, window: Promise<unknown>) {
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = await nonReadingSocket(gateway);
      socket.write(pageRequest(gateway));
      return socket;
    }),
  );
  await window;
  const ports = sockets.map((socket) => socket.localPort!);
  const held = heldByGateway(gatewayPort(gateway), ports);
  sockets.forEach((socket) => socket.destroy());
  return { connectionsHeldByGatewayAtEnd: held };
}

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? "ws";
  const count = Number(process.argv[3] ?? (scenario === "http-slow-readers" ? 500 : 4000));
  const flood = {
    ws: wsFlood,
    "http-pipeline": httpPipeline(PAGE),
    "http-pipeline-small": httpPipeline(SMALL_PAGE),
    "http-slow-readers": httpSlowReaders,
  }[scenario];
  if (!flood) throw new Error(`unknown scenario ${scenario}`);
  const db = tempDatabasePath();
  const gateway = await spawnGateway(
    {
      NODE_ENV: "production",
      GATEWAY_API_KEYS: `flood:${KEY}`,
      DATABASE_PATH: db.databasePath,
      MAX_ACTIVE_TASKS_PER_CLIENT: "0",
      RATE_LIMIT_SUBMITS_PER_MINUTE: "0",
      SIMULATOR_QUEUED_MS: "100",
      SIMULATOR_PROCESSING_MS: "300",
      POLL_INTERVAL_MS: "100",
      POLL_MAX_INTERVAL_MS: "200",
    },
    { built: true },
  );
  const pid = gateway.process.pid!;
  try {
    const pageBytes = await seed(gateway);
    const warm = probe(gateway);
    await sleep(2000);
    await warm.stop();
    const before = memoryOf(pid);
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 50);
    const probes = probe(gateway);
    let endOfFlood = before;
    const window = sleep(FLOOD_MS).then(() => (endOfFlood = memoryOf(pid)));
    const client = await flood(gateway, count, window);
    const probed = await probes.stop();
    await sleep(SETTLE_MS);
    clearInterval(sampler);
    const after = memoryOf(pid);
    const warnings = gateway
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; code?: number; reason?: string })
      .map(({ msg, code, reason }) => [msg, code, reason].filter(Boolean).join(" / "));
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario,
          count,
          pageBytes,
          rssMiB: {
            before: mib(before.rss),
            peak: mib(peak),
            endOfFlood: mib(endOfFlood.rss),
            highWaterMark: mib(after.hwm),
            after: mib(after.rss),
          },
          probe: probed,
          client,
          gatewayWarnings: warnings,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    gateway.process.kill("SIGKILL");
    await gateway.exited;
    db.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
