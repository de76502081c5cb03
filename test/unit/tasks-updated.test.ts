import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import { InProcessEventBus } from "../../src/events/in-process.event-bus";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { DeliveredVersions } from "../../src/tasks/delivered-versions";
import {
  TaskSubscriptions,
  type TaskSubscriptionsOptions,
} from "../../src/tasks/task.subscriptions";
import { aTaskRecord, insert, T0 } from "../helpers/fixtures";

const ALICE = { id: "key:alice", via: "client-key" as const };
const BOB_ID = "key:bob";

/** The in-process bus counts its subscribers (proof that nothing is left attached) and can resync them. */
function setUp(options?: TaskSubscriptionsOptions) {
  const events = new InProcessEventBus();
  const store = new SqliteTaskStore(":memory:");
  const subscriptions = new TaskSubscriptions(store, events, options);
  return {
    events,
    store,
    subscriptions,
    listeners: () => [...events.subscribers()].length,
    resync: () => [...events.subscribers()].forEach((subscriber) => subscriber.resync?.()),
  };
}

const at = (task: TaskRecord, version: number, status = TaskStatus.PROCESSING): TaskRecord => ({
  ...task,
  version,
  status,
});

const nextTask = async (stream: AsyncIterator<TaskRecord>) => (await stream.next()).value;
const seen = (task: TaskRecord) => `${task.id} v${task.version} ${task.status}`;

describe("TaskSubscriptions.watchOwner", () => {
  it("delivers changes to any of the owner's tasks, with no snapshot first", async () => {
    const { events, store, subscriptions } = setUp();
    const one = aTaskRecord({ id: "vt_1" });
    const two = aTaskRecord({ id: "vt_2" });
    await insert(store, one);
    await insert(store, two);
    const stream = await subscriptions.watchOwner(ALICE);
    await events.publish(at(two, 2));
    await events.publish(at(one, 2));
    expect(seen(await nextTask(stream))).toBe("vt_2 v2 PROCESSING");
    expect(seen(await nextTask(stream))).toBe("vt_1 v2 PROCESSING");
    await stream.return!();
  });

  it("never delivers another principal's task, even one a faulty adapter routes to the owner", async () => {
    const { events, subscriptions } = setUp();
    const stream = await subscriptions.watchOwner(ALICE);
    const bobs = aTaskRecord({ id: "vt_bob", ownerId: BOB_ID });
    await events.publish(at(bobs, 2));
    events.deliver(`owner:${ALICE.id}`, at(bobs, 3));
    await events.publish(at(aTaskRecord({ id: "vt_alice" }), 2));
    expect(seen(await nextTask(stream))).toBe("vt_alice v2 PROCESSING");
    await stream.return!();
  });

  it("drops repeated and older versions of a task", async () => {
    const { events, subscriptions } = setUp();
    const task = aTaskRecord();
    const stream = await subscriptions.watchOwner(ALICE);
    await events.publish(at(task, 3));
    expect((await nextTask(stream)).version).toBe(3);
    for (const version of [2, 3, 4]) await events.publish(at(task, version));
    expect((await nextTask(stream)).version).toBe(4);
    await stream.return!();
  });

  it("gives a slow client only the newest pending version of each task", async () => {
    const { events, subscriptions } = setUp();
    const task = aTaskRecord();
    const stream = await subscriptions.watchOwner(ALICE);
    for (const version of [2, 3, 4]) await events.publish(at(task, version));
    expect((await nextTask(stream)).version).toBe(4);
    await stream.return!();
  });

  it("with statuses, delivers only changes to one of them; an older matching version never follows", async () => {
    const { events, subscriptions } = setUp();
    const stream = await subscriptions.watchOwner(ALICE, [TaskStatus.PROCESSING]);
    const one = aTaskRecord({ id: "vt_1" });
    await events.publish(at(one, 3, TaskStatus.SUCCEEDED));
    await events.publish(at(one, 2, TaskStatus.PROCESSING)); // late and stale
    await events.publish(at(aTaskRecord({ id: "vt_2" }), 2, TaskStatus.FAILED));
    await events.publish(at(aTaskRecord({ id: "vt_3" }), 2, TaskStatus.PROCESSING));
    expect(seen(await nextTask(stream))).toBe("vt_3 v2 PROCESSING");
    await stream.return!();
  });

  it("does not complete after a final status: it runs until the client leaves", async () => {
    const { events, subscriptions } = setUp();
    const stream = await subscriptions.watchOwner(ALICE);
    await events.publish(at(aTaskRecord({ id: "vt_1" }), 2, TaskStatus.SUCCEEDED));
    expect(seen(await nextTask(stream))).toBe("vt_1 v2 SUCCEEDED");
    await events.publish(at(aTaskRecord({ id: "vt_2" }), 2));
    expect(await stream.next()).toEqual({
      done: false,
      value: expect.objectContaining({ id: "vt_2" }),
    });
    await stream.return!();
  });

  describe("after a resync (the bus may have lost events)", () => {
    it("delivers a change stored but never published, once", async () => {
      const { events, store, subscriptions, resync } = setUp();
      await insert(store, aTaskRecord());
      const stream = await subscriptions.watchOwner(ALICE);
      const changed = await store.update("vt_1", 1, { status: TaskStatus.PROCESSING });
      resync();
      expect(seen(await nextTask(stream))).toBe("vt_1 v2 PROCESSING");
      resync();
      await events.publish(changed!); // the lost event, arriving after all
      await events.publish(at(changed!, 3));
      expect((await nextTask(stream)).version).toBe(3);
      await stream.return!();
    });

    it("does not deliver tasks that did not change since the stream began", async () => {
      const { events, store, subscriptions, resync } = setUp();
      await insert(store, aTaskRecord({ id: "vt_old", updatedAt: new Date(T0) }));
      const stream = await subscriptions.watchOwner(ALICE);
      resync();
      const marker = aTaskRecord({ id: "vt_marker" });
      await insert(store, marker);
      await store.update("vt_marker", 1, { progress: 10 });
      resync();
      expect((await nextTask(stream)).id).toBe("vt_marker");
      await events.publish(at(marker, 3));
      expect(seen(await nextTask(stream))).toBe("vt_marker v3 PROCESSING");
      await stream.return!();
    });

    it("finds a delivered task that finished meanwhile, beyond the pages it re-reads", async () => {
      const { events, store, subscriptions, resync } = setUp({ resyncPageSize: 1 });
      await insert(store, aTaskRecord({ id: "vt_1", createdAt: new Date(T0) }));
      await insert(store, aTaskRecord({ id: "vt_newer", createdAt: new Date(T0 + 1000) }));
      const stream = await subscriptions.watchOwner(ALICE);
      const running = await store.update("vt_1", 1, { status: TaskStatus.PROCESSING });
      await events.publish(running!);
      expect((await nextTask(stream)).version).toBe(2);
      await store.update("vt_1", 2, { status: TaskStatus.SUCCEEDED }); // its event is lost
      resync();
      expect(seen(await nextTask(stream))).toBe("vt_1 v3 SUCCEEDED");
      await stream.return!();
    });

    it("keeps the stream when the store cannot be read", async () => {
      const { events, store, subscriptions, resync } = setUp();
      const stream = await subscriptions.watchOwner(ALICE);
      store.listByOwner = () => Promise.reject(new Error("store down"));
      resync();
      await events.publish(at(aTaskRecord(), 2));
      expect((await nextTask(stream)).version).toBe(2);
      await stream.return!();
    });
  });

  describe("detaches from the bus", () => {
    it("when the client unsubscribes before the first event", async () => {
      const { subscriptions, listeners } = setUp();
      const stream = await subscriptions.watchOwner(ALICE);
      expect(listeners()).toBe(1);
      await stream.return!();
      expect(listeners()).toBe(0);
    });

    it("when the client unsubscribes mid-stream", async () => {
      const { events, subscriptions, listeners } = setUp();
      const stream = await subscriptions.watchOwner(ALICE);
      await events.publish(at(aTaskRecord(), 2));
      await stream.next();
      await stream.return!();
      expect(listeners()).toBe(0);
    });

    it("when the client unsubscribes while waiting for an event", async () => {
      const { subscriptions, listeners } = setUp();
      const stream = await subscriptions.watchOwner(ALICE);
      const waiting = stream.next();
      await stream.return!();
      await expect(waiting).resolves.toMatchObject({ done: true });
      expect(listeners()).toBe(0);
    });
  });
});

describe("DeliveredVersions", () => {
  it("admits a version only when it is newer than every one seen of that task", () => {
    const delivered = new DeliveredVersions(10);
    const task = aTaskRecord();
    expect([2, 2, 1, 3].map((version) => delivered.admit(at(task, version)))).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it("remembers at most its capacity, forgetting the least recently changed task first", () => {
    const delivered = new DeliveredVersions(2);
    for (const id of ["vt_a", "vt_b"]) delivered.admit(at(aTaskRecord({ id }), 2));
    delivered.admit(at(aTaskRecord({ id: "vt_a" }), 3));
    delivered.admit(at(aTaskRecord({ id: "vt_c" }), 2));
    expect(delivered.size).toBe(2);
    expect(["vt_a", "vt_b", "vt_c"].map((id) => delivered.has(id))).toEqual([true, false, true]);
  });

  it("lists the tasks last seen active, which are the ones a resync must re-read", () => {
    const delivered = new DeliveredVersions(10);
    delivered.admit(at(aTaskRecord({ id: "vt_running" }), 2));
    delivered.admit(at(aTaskRecord({ id: "vt_done" }), 2, TaskStatus.SUCCEEDED));
    expect(delivered.unfinished()).toEqual(["vt_running"]);
  });
});
