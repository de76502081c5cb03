import type { Client } from "graphql-ws";
import type { InProcessEventBus } from "../../src/events/in-process.event-bus";
import {
  GENERATE_FROM_TEXT,
  TASK_UPDATED,
  TASKS_UPDATED,
  type TaskView,
} from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe, type Subscription } from "../helpers/ws-client";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";
const ALICE_STREAMS = { ownerId: "key:alice" };
type Updated = { tasksUpdated: TaskView };

describe("tasksUpdated over graphql-ws", () => {
  let gateway: TestGateway;
  /** Alice's tasksUpdated streams attached to the gateway's event bus (in process here). */
  const aliceStreams = () => (gateway.events as InProcessEventBus).subscriberCount(ALICE_STREAMS);
  const clients: Client[] = [];
  const client = (token: string) => {
    const c = connect(gateway.wsUrl, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB}` });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => aliceStreams() === 0, { what: "alice's streams to detach" });
  });
  afterAll(() => gateway.stop());

  const submit = async (token: string, prompt = "a kite over dunes") => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(
      GENERATE_FROM_TEXT,
      { input: { prompt } },
      token,
    );
    return body.data!.generateVideoFromText;
  };

  /** Subscribes as Alice and resolves once the stream is live on the bus. */
  const watchAlice = async (variables: Record<string, unknown> = {}) => {
    const before = aliceStreams();
    const sub = subscribe<Updated>(client(ALICE), TASKS_UPDATED, variables);
    await waitFor(() => aliceStreams() > before, { what: "tasksUpdated to go live" });
    return sub;
  };

  const finalEventOf = (sub: Subscription<Updated>, id: string) =>
    waitFor(
      () =>
        sub.events.find(
          (e) =>
            e.tasksUpdated.id === id && ["SUCCEEDED", "FAILED"].includes(e.tasksUpdated.status),
        ),
      { what: `the final event of ${id}` },
    );

  const versionsById = (sub: Subscription<Updated>) => {
    const byId: Record<string, number[]> = {};
    for (const { tasksUpdated: task } of sub.events) (byId[task.id] ??= []).push(task.version);
    return byId;
  };

  it("delivers every change of two of the caller's tasks, each version once and in order, and no earlier task", async () => {
    const earlier = await submit(ALICE, "finished before the subscription");
    await subscribe(client(ALICE), TASK_UPDATED, { id: earlier.id }).done;
    const sub = await watchAlice();
    const [one, two] = [await submit(ALICE), await submit(ALICE)];
    await finalEventOf(sub, one.id);
    await finalEventOf(sub, two.id);
    const versions = versionsById(sub);
    expect(Object.keys(versions).sort()).toEqual([one.id, two.id].sort());
    for (const list of Object.values(versions)) {
      list.slice(1).forEach((version, i) => expect(version).toBeGreaterThan(list[i]));
      expect(list.at(-1)).toBeGreaterThan(1);
    }
  });

  it("never delivers another principal's task", async () => {
    const sub = await watchAlice();
    const bobs = await submit(BOB, "bob's own");
    await subscribe(client(BOB), TASK_UPDATED, { id: bobs.id }).done; // Bob's task has ended
    // Alice's next task ends after Bob's, on the same ordered stream: anything of Bob's came first.
    const alices = await submit(ALICE);
    await finalEventOf(sub, alices.id);
    expect(sub.events.map((e) => e.tasksUpdated.id)).not.toContain(bobs.id);
  });

  it("with status, delivers only changes to those statuses", async () => {
    const failedOnly = await watchAlice({ status: ["FAILED"] });
    const everything = await watchAlice();
    const failing = await submit(ALICE, "a storm [sim:fail]");
    const succeeding = await submit(ALICE, "a calm sea");
    await finalEventOf(everything, failing.id);
    await finalEventOf(everything, succeeding.id);
    // A later failure is the marker: every event of the two tasks was handled before it.
    const marker = await submit(ALICE, "another storm [sim:fail]");
    await finalEventOf(failedOnly, marker.id);
    expect(failedOnly.events.map((e) => [e.tasksUpdated.id, e.tasksUpdated.status])).toEqual([
      [failing.id, "FAILED"],
      [marker.id, "FAILED"],
    ]);
    expect(versionsById(everything)[succeeding.id].length).toBeGreaterThan(1);
  });

  it("detaches from the bus when the client unsubscribes before any event", async () => {
    const sub = await watchAlice();
    expect(aliceStreams()).toBe(1);
    sub.unsubscribe();
    await waitFor(() => aliceStreams() === 0, { what: "the stream to detach" });
  });

  it("detaches from the bus when the client unsubscribes mid-stream", async () => {
    const sub = await watchAlice();
    await submit(ALICE);
    await sub.nth(1);
    sub.unsubscribe();
    await waitFor(() => aliceStreams() === 0, { what: "the stream to detach" });
  });

  it("detaches from the bus when the socket closes", async () => {
    await watchAlice();
    await watchAlice({ status: ["SUCCEEDED"] });
    expect(aliceStreams()).toBe(2);
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => aliceStreams() === 0, { what: "both streams to detach" });
  });
});
