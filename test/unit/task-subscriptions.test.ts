import { NotFoundError } from "../../src/errors/gateway-errors";
import { InProcessEventBus } from "../../src/events/in-process.event-bus";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import { TaskSubscriptions } from "../../src/tasks/task.subscriptions";
import { aTaskRecord, insert } from "../helpers/fixtures";

const ALICE = { id: "key:alice", via: "client-key" as const };

/** The in-process bus, which counts its subscribers: proof that nothing is left attached. */
function setUp() {
  const events = new InProcessEventBus();
  const target = {
    get listeners() {
      return [...events.subscribers()].length;
    },
  };
  const store = new SqliteTaskStore(":memory:");
  const subscriptions = new TaskSubscriptions(store, events);
  return { target, events, store, subscriptions };
}

const version = (task: TaskRecord, v: number, status = TaskStatus.PROCESSING): TaskRecord => ({
  ...task,
  version: v,
  status,
});

describe("TaskSubscriptions.watch", () => {
  it("detaches its listener when the client unsubscribes before the first event was read", async () => {
    const { target, store, subscriptions } = setUp();
    await insert(store, aTaskRecord());
    const stream = await subscriptions.watch(ALICE, "vt_1");
    expect(target.listeners).toBe(1);
    await stream.return!();
    expect(target.listeners).toBe(0);
  });

  it("detaches its listener when the client unsubscribes mid-stream", async () => {
    const { target, store, subscriptions } = setUp();
    await insert(store, aTaskRecord());
    const stream = await subscriptions.watch(ALICE, "vt_1");
    expect((await stream.next()).value.version).toBe(1);
    await stream.return!();
    expect(target.listeners).toBe(0);
  });

  it("delivers a change that lands while the snapshot is read once, in version order", async () => {
    const { events, store, subscriptions } = setUp();
    const task = aTaskRecord();
    await insert(store, task);
    const get = store.get.bind(store);
    // The change is published after the listener is attached and before the snapshot is returned.
    store.get = async (id: string) => {
      const snapshot = await get(id);
      events.publish(version(task, 2));
      return snapshot;
    };
    const stream = await subscriptions.watch(ALICE, "vt_1");
    events.publish(version(task, 2)); // a duplicate delivery of the same version
    events.publish(version(task, 3, TaskStatus.SUCCEEDED));
    const seen: number[] = [];
    for await (const update of stream) seen.push(update.version);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("drops events older than the snapshot", async () => {
    const { events, store, subscriptions } = setUp();
    const task = aTaskRecord({ version: 5 });
    await insert(store, task);
    const stream = await subscriptions.watch(ALICE, "vt_1");
    events.publish(version(task, 4));
    events.publish(version(task, 6, TaskStatus.FAILED));
    const seen: number[] = [];
    for await (const update of stream) seen.push(update.version);
    expect(seen).toEqual([5, 6]);
  });

  it("a finished task yields its final snapshot and completes, leaving no listener", async () => {
    const { target, store, subscriptions } = setUp();
    await insert(store, aTaskRecord({ status: TaskStatus.SUCCEEDED }));
    const seen: string[] = [];
    for await (const update of await subscriptions.watch(ALICE, "vt_1")) seen.push(update.status);
    expect(seen).toEqual(["SUCCEEDED"]);
    expect(target.listeners).toBe(0);
  });

  it("another principal's task is NOT_FOUND, and no listener is left behind", async () => {
    const { target, store, subscriptions } = setUp();
    await insert(store, aTaskRecord());
    await expect(
      subscriptions.watch({ id: "key:bob", via: "client-key" }, "vt_1"),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(subscriptions.watch(ALICE, "vt_missing")).rejects.toBeInstanceOf(NotFoundError);
    expect(target.listeners).toBe(0);
  });
});
