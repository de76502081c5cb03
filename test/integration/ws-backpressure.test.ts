import type { Client } from "graphql-ws";
import { GENERATE_FROM_TEXT, TASKS, TASK_UPDATED, type TaskView } from "../helpers/operations";
import { RawWsClient } from "../helpers/raw-ws-client";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";

const ENV = {
  GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB}`,
  // Tasks stay QUEUED, so subscriptions to them stay open; polled at the default pace, not FAST_ENV's.
  SIMULATOR_QUEUED_MS: "600000",
  POLL_INTERVAL_MS: "2000",
  POLL_MAX_INTERVAL_MS: "15000",
  MAX_SUBSCRIPTIONS_PER_CONNECTION: "10",
  MAX_SUBSCRIPTIONS_PER_CLIENT: "10",
};

/** 2500 characters of prompt and of negative prompt: 40 such tasks make a page of about 210 KB. */
const LONG = "a paper boat drifts down a rainy street, lit by the shop windows. ".repeat(40);
const input = { prompt: LONG.slice(0, 2500), negativePrompt: LONG.slice(0, 2500) };
const PROBE = `{ tasks(first: 1) { pageInfo { hasNextPage } } }`;
/** Generous: these wait for events, and the machine may be busy. */
const PATIENCE = { timeoutMs: 90_000, intervalMs: 50 };

const page = (id: number) => ({
  id: String(id),
  type: "subscribe",
  payload: { query: TASKS, variables: { first: 100 } },
});
const watch = (id: string, taskId: string) => ({
  id,
  type: "subscribe",
  payload: { query: TASK_UPDATED, variables: { id: taskId } },
});

describe("WebSocket backpressure: one connection cannot hold the gateway's memory or time", () => {
  let gateway: TestGateway;
  const clients: Client[] = [];
  const raw: RawWsClient[] = [];

  const submit = async (token: string) => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(
      GENERATE_FROM_TEXT,
      { input },
      token,
    );
    return body.data!.generateVideoFromText.id;
  };
  const rawClient = async (token: string) => {
    const client = await RawWsClient.connect(gateway.wsUrl);
    raw.push(client);
    await client.init(token);
    return client;
  };
  /** Nothing left of the connections this test opened: no socket, no operation in flight. */
  const released = () => {
    const { connections, operationsInFlight } = gateway.webSocketStats();
    return connections === 0 && operationsInFlight === 0;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    raw.splice(0).forEach((c) => c.destroy());
  });

  describe("with the default limits", () => {
    let watchedTask: string;

    beforeAll(async () => {
      gateway = await startTestGateway(ENV);
      for (let i = 0; i < 40; i++) watchedTask = await submit(ALICE);
    });
    afterAll(() => gateway.stop());

    it("a client that stops reading and pipelines thousands of 100-task pages is closed and cut off; its operations and subscription caps are released; others are answered throughout", async () => {
      const flooder = await rawClient(ALICE);
      flooder.pause();
      // Alice's whole subscription allowance, then 2000 pages of about 210 KB each.
      const subscriptions = Array.from({ length: 10 }, (_, i) => watch(`w${i}`, watchedTask));
      flooder.send(subscriptions);
      for (let from = 1; from <= 2000; from += 200) {
        flooder.send(Array.from({ length: 200 }, (_, i) => page(from + i)));
      }

      // A well-behaved client gets answers over HTTP and over WebSocket meanwhile.
      const http = await gateway.gql<{ tasks: unknown }>(PROBE, {}, BOB);
      expect(http.body).toEqual({ data: { tasks: { pageInfo: { hasNextPage: false } } } });
      const bob = connect(gateway.wsUrl, BOB);
      clients.push(bob);
      const overWs = subscribe<{ tasks: unknown }>(bob, PROBE, {});
      await overWs.done;
      expect(overWs.events).toEqual([{ tasks: { pageInfo: { hasNextPage: false } } }]);
      await bob.dispose();

      await waitFor(released, { ...PATIENCE, what: "the gateway to drop the flooding socket" });
      const { peakOperationsInFlight, closedAtLimit } = gateway.webSocketStats();
      // What bounds one connection's memory and CPU: never more than 100 of its operations at once.
      expect(peakOperationsInFlight).toBeLessThanOrEqual(100);
      expect(closedAtLimit.tooManyOperations + closedAtLimit.slowReader).toBe(1);
      // The gateway, not the client, ended the connection: reading again reaches its end.
      flooder.resume();
      await flooder.closed;

      // Alice's ten subscriptions were counted off: a new connection may open ten again.
      const alice = connect(gateway.wsUrl, ALICE);
      clients.push(alice);
      const again = Array.from({ length: 10 }, () =>
        subscribe<{ taskUpdated: TaskView }>(alice, TASK_UPDATED, { id: watchedTask }),
      );
      const snapshots = await Promise.all(again.map((sub) => sub.nth(1)));
      snapshots.forEach((s) => expect(s.taskUpdated.status).toBe("QUEUED"));
      expect(again.flatMap((sub) => sub.errors)).toEqual([]);
    }, 180_000);
  });

  describe("each limit on its own", () => {
    afterEach(() => gateway?.stop());

    it("past WS_MAX_OPERATIONS_IN_FLIGHT a client that reads sees 1008 (Policy Violation), and the socket is gone", async () => {
      gateway = await startTestGateway({
        ...ENV,
        MAX_SUBSCRIPTIONS_PER_CONNECTION: "2",
        WS_MAX_OPERATIONS_IN_FLIGHT: "5",
      });
      const client = await rawClient(ALICE);
      // Fifty queries in one TCP write arrive together: far more than five are in flight at once.
      client.send(
        Array.from({ length: 50 }, (_, i) => ({
          id: String(i),
          type: "subscribe",
          payload: { query: "{ __typename }" },
        })),
      );
      await client.closed;
      expect(client.closeCode).toBe(1008);
      await waitFor(released, { ...PATIENCE, what: "the socket's operations to end" });
      expect(gateway.webSocketStats().closedAtLimit).toEqual({
        tooManyOperations: 1,
        slowReader: 0,
      });
    });

    it("past WS_MAX_BUFFERED_BYTES a client that does not read is closed (1013) and cut off", async () => {
      gateway = await startTestGateway({
        ...ENV,
        WS_MAX_OPERATIONS_IN_FLIGHT: "100000",
        WS_MAX_BUFFERED_BYTES: "65536",
      });
      for (let i = 0; i < 40; i++) await submit(ALICE);
      const client = await rawClient(ALICE);
      client.pause();
      // 300 pages of about 210 KB: far more than the kernel's socket buffers take in.
      client.send(Array.from({ length: 300 }, (_, i) => page(i + 1)));
      await waitFor(released, { ...PATIENCE, what: "the gateway to drop the slow reader" });
      expect(gateway.webSocketStats().closedAtLimit).toEqual({
        tooManyOperations: 0,
        slowReader: 1,
      });
      client.resume();
      await client.closed;
    }, 120_000);
  });
});
