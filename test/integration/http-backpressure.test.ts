import net from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "../../src/observability/logger";
import { GENERATE_FROM_TEXT, TASKS } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";

const ALICE = "alice-secret-0123456789";
const PROBE = `{ tasks(first: 1) { pageInfo { hasNextPage } } }`;
const PATIENCE = { timeoutMs: 60_000, intervalMs: 50 };

/** A gateway whose log lines are kept, to wait for the one saying a connection was cut. */
async function gatewayWithLog(env: Record<string, string>) {
  const lines: Array<{ msg: string; reason?: string }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const gateway = await startTestGateway(
    { GATEWAY_API_KEYS: `alice:${ALICE}`, SIMULATOR_QUEUED_MS: "600000", ...env },
    undefined,
    createLogger("warn", sink),
  );
  const cutFor = (reason: string) => () =>
    lines.some((line) => line.msg === "http connection cut at a limit" && line.reason === reason);
  return { gateway, cutFor };
}

/** `count` POSTs of one operation on a fresh connection, in one TCP write. */
async function pipeline(gateway: TestGateway, count: number, body: object, opened: net.Socket[]) {
  const { hostname, port, host } = new URL(gateway.url);
  const socket = net.connect(Number(port), hostname);
  socket.on("error", () => undefined);
  opened.push(socket);
  await new Promise((resolve) => socket.once("connect", resolve));
  const json = JSON.stringify(body);
  const request =
    `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Authorization: Bearer ${ALICE}\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  const closed = new Promise((resolve) => socket.once("close", resolve));
  socket.write(request.repeat(count));
  return {
    socket,
    closed,
    /** Status lines read so far: one per answer. */
    answers: () => received.match(/HTTP\/1\.1 \d{3}/g)?.length ?? 0,
  };
}

describe("HTTP backpressure: one connection cannot hold the gateway's memory", () => {
  let gateway: TestGateway;
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.destroy());
    await gateway?.stop();
  });

  it("a connection with more than HTTP_MAX_PIPELINED_REQUESTS unanswered requests is cut, and no more than that many run", async () => {
    const started = await gatewayWithLog({ HTTP_MAX_PIPELINED_REQUESTS: "3" });
    gateway = started.gateway;
    const client = await pipeline(
      gateway,
      50,
      {
        query: GENERATE_FROM_TEXT,
        variables: { input: { prompt: "a lighthouse in fog" } },
      },
      sockets,
    );
    await client.closed;
    expect(client.answers()).toBeLessThanOrEqual(3);
    const probe = await gateway.gql(PROBE, {}, ALICE);
    expect(probe.body.errors).toBeUndefined();
    expect(gateway.simulator!.stats().submits).toBeLessThanOrEqual(3);
    expect(started.cutFor("too many pipelined requests")()).toBe(true);
  });

  it("a client that does not take its answers within HTTP_SLOW_READER_TIMEOUT_MS loses the connection, and others are answered", async () => {
    const started = await gatewayWithLog({
      HTTP_MAX_PIPELINED_REQUESTS: "100",
      HTTP_SLOW_READER_TIMEOUT_MS: "1000",
    });
    gateway = started.gateway;
    // 40 tasks with long prompts: a page of 100 is about 210 KB.
    const long = "a paper boat drifts down a rainy street, lit by the shop windows. ".repeat(40);
    const input = { prompt: long.slice(0, 2500), negativePrompt: long.slice(0, 2500) };
    for (let i = 0; i < 40; i++) await gateway.gql(GENERATE_FROM_TEXT, { input }, ALICE);
    // 60 pages, about 12 MB: more than the kernel's socket buffers take in for a client not reading.
    const client = await pipeline(
      gateway,
      60,
      { query: TASKS, variables: { first: 100 } },
      sockets,
    );
    client.socket.pause();
    await waitFor(started.cutFor("answer not read in time"), {
      ...PATIENCE,
      what: "the gateway to cut the slow reader",
    });
    const probe = await gateway.gql(PROBE, {}, ALICE);
    expect(probe.body.errors).toBeUndefined();
    client.socket.resume();
    await client.closed;
    expect(client.answers()).toBeLessThan(60);
  }, 120_000);
});
