import type { Client } from "graphql-ws";
import { GENERATE_FROM_TEXT, TASK, TASK_UPDATED, type TaskView } from "../helpers/operations";
import type { InProcessEventBus } from "../../src/events/in-process.event-bus";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";
type Updated = { taskUpdated: TaskView };

describe("taskUpdated over graphql-ws", () => {
  let gateway: TestGateway;
  const clients: Client[] = [];
  const client = (token?: string, onClose?: (e: { code: number; reason: string }) => void) => {
    const c = connect(gateway.wsUrl, token, onClose);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB}` });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => gateway.stop());

  const submit = async (prompt = "a comet over the sea") => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(
      GENERATE_FROM_TEXT,
      { input: { prompt } },
      ALICE,
    );
    return body.data!.generateVideoFromText;
  };

  it("sends the snapshot first, then each change in increasing version, then completes", async () => {
    // Held, the job cannot finish before the subscriber has its snapshot and has seen PROCESSING,
    // however late a busy machine lets it subscribe: at least one change comes before the last.
    const simulator = gateway.simulator!;
    simulator.hold();
    const task = await submit().catch((error: unknown) => {
      simulator.release();
      throw error;
    });
    const sub = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await waitFor(() => sub.events.some((e) => e.taskUpdated.status === "PROCESSING"), {
      what: "PROCESSING, as snapshot or change",
    }).finally(() => simulator.release());
    await sub.done;
    expect(sub.events[0].taskUpdated.id).toBe(task.id);
    const versions = sub.events.map((e) => e.taskUpdated.version);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    versions.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(versions[i]));
    const last = sub.events.at(-1)!.taskUpdated;
    expect(last.status).toBe("SUCCEEDED");
    expect(last.video?.url).toContain(".mp4");
    expect(sub.events.filter((e) => e.taskUpdated.status === "SUCCEEDED")).toHaveLength(1);
    const { body } = await gateway.gql<{ task: TaskView }>(TASK, { id: task.id }, ALICE);
    expect(body.data!.task).toEqual(last);
  });

  it("a subscriber to a finished task gets one final snapshot and completes", async () => {
    const task = await submit();
    await subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id }).done;
    const late = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await late.done;
    expect(late.events).toHaveLength(1);
    expect(late.events[0].taskUpdated.status).toBe("SUCCEEDED");
  });

  it("a subscriber that joins mid-task gets the current state first and misses nothing after", async () => {
    const task = await submit();
    const early = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await early.nth(2);
    const late = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await Promise.all([early.done, late.done]);
    const lateVersions = late.events.map((e) => e.taskUpdated.version);
    const earlyVersions = early.events.map((e) => e.taskUpdated.version);
    expect(earlyVersions.slice(earlyVersions.indexOf(lateVersions[0]))).toEqual(lateVersions);
  });

  it("watchers of one task as one principal share one stream: one bus subscription, the same events", async () => {
    const streams = (id: string) =>
      (gateway.events as InProcessEventBus).subscriberCount({ taskId: id });
    const task = await submit();
    const subs = [client(ALICE), client(ALICE), client(ALICE)].map((c) =>
      subscribe<Updated>(c, TASK_UPDATED, { id: task.id }),
    );
    await Promise.all(subs.map((sub) => sub.nth(1)));
    expect(streams(task.id)).toBe(1);
    await Promise.all(subs.map((sub) => sub.done));
    const [first, ...others] = subs.map((sub) => sub.events.map((e) => e.taskUpdated));
    expect(first.at(-1)!.status).toBe("SUCCEEDED");
    // Each joined once the stream had begun: it starts from the state then current.
    for (const events of others) expect(first.slice(first.length - events.length)).toEqual(events);
    expect(streams(task.id)).toBe(0);
  });

  it("another principal never joins a stream: NOT_FOUND while the owner watches", async () => {
    const task = await submit();
    const owner = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await owner.nth(1);
    const stranger = subscribe<Updated>(client(BOB), TASK_UPDATED, { id: task.id });
    await stranger.done;
    expect(stranger.events).toEqual([]);
    expect(stranger.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "NOT_FOUND" }) }),
    ]);
    await owner.done;
    expect(owner.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
  });

  it.each([
    ["another principal's task", BOB, true],
    ["an unknown task", ALICE, false],
  ])("subscribing to %s is NOT_FOUND with no event", async (_what, token, existing) => {
    const id = existing ? (await submit()).id : "vt_unknown";
    const sub = subscribe<Updated>(client(token), TASK_UPDATED, { id });
    await sub.done;
    expect(sub.events).toEqual([]);
    expect(sub.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "NOT_FOUND" }) }),
    ]);
  });

  it.each([
    ["no credential", undefined],
    ["a wrong credential", "wrong-secret-0123456789"],
  ])("a connection with %s is closed with 4403", async (_what, token) => {
    let closed: { code: number } | undefined;
    const sub = subscribe<Updated>(
      client(token, (event) => (closed = event)),
      TASK_UPDATED,
      { id: "vt_any" },
    );
    await expect(sub.done).rejects.toBeDefined();
    expect(closed?.code).toBe(4403);
  });

  it("a variable of the wrong shape is BAD_USER_INPUT naming it, over WebSocket too", async () => {
    const sub = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: { not: "an id" } });
    await sub.done.catch(() => undefined);
    expect(sub.errors[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path: "id", message: expect.any(String) }],
    });
  });

  it("a client that unsubscribes mid-task can subscribe again and still sees the end", async () => {
    const task = await submit();
    const sub = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await sub.nth(1);
    sub.unsubscribe();
    const again = subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id });
    await again.done;
    expect(again.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
  });

  it("polls do not depend on the number of subscribers (0, 1 and 200 on identical tasks)", async () => {
    const fair = await startTestGateway({
      GATEWAY_API_KEYS: `alice:${ALICE}`,
      POLL_JITTER_RATIO: "0",
      SIMULATOR_PROCESSING_MS: "800",
    });
    const sockets: Client[] = [];
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { body } = await fair.gql<{ generateVideoFromText: TaskView }>(
          GENERATE_FROM_TEXT,
          { input: { prompt: "identical" } },
          ALICE,
        );
        ids.push(body.data!.generateVideoFromText.id);
      }
      for (let i = 0; i < 20; i++) sockets.push(connect(fair.wsUrl, ALICE));
      const one = subscribe<Updated>(sockets[0], TASK_UPDATED, { id: ids[1] });
      const many = Array.from({ length: 200 }, (_, i) =>
        subscribe<Updated>(sockets[i % 20], TASK_UPDATED, { id: ids[2] }),
      );
      await Promise.all([one.done, ...many.map((s) => s.done)]);
      await waitFor(async () => {
        const { body } = await fair.gql<{ task: TaskView }>(TASK, { id: ids[0] }, ALICE);
        return body.data!.task.status === "SUCCEEDED";
      });
      expect(many.every((s) => s.events.at(-1)!.taskUpdated.status === "SUCCEEDED")).toBe(true);
      const stats = fair.simulator!.stats();
      const polls = stats.acceptedTaskIds.map((upstreamId) => stats.pollsByTask[upstreamId]);
      expect(Math.max(...polls) - Math.min(...polls)).toBeLessThanOrEqual(1);
    } finally {
      await Promise.all(sockets.map((s) => s.dispose()));
      await fair.stop();
    }
  });

  it("stops polling at a terminal status", async () => {
    const task = await submit();
    await subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: task.id }).done;
    const upstreamId = gateway.simulator!.stats().acceptedTaskIds.at(-1)!;
    const pollsAtEnd = gateway.simulator!.stats().pollsByTask[upstreamId];
    // Absence cannot be awaited: another task's whole life serves as the clock. It lasts the
    // simulated job's time, more than twice POLL_MAX_INTERVAL_MS however slowly the machine runs, so
    // a task still scheduled would be polled in it. (Counting the clock's polls instead failed on a
    // loaded machine: a slow poll loop sees the clock's job end in fewer polls.)
    const clock = await submit("the clock");
    await subscribe<Updated>(client(ALICE), TASK_UPDATED, { id: clock.id }).done;
    expect(gateway.simulator!.stats().pollsByTask[upstreamId]).toBe(pollsAtEnd);
  });
});
