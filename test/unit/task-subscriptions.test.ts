import { NotFoundError } from "../../src/errors";
import { TaskEvents } from "../../src/pubsub/task-events";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { TaskStatus, type TaskRecord } from "../../src/tasks/task.model";
import { TaskSubscriptions } from "../../src/tasks/task.subscriptions";
import { aTaskRecord } from "../helpers/fixtures";

const ALICE = { id: "key:alice", via: "client-key" as const };

/** An EventTarget that counts its listeners, to prove nothing is left attached. */
class CountingTarget extends EventTarget {
  private readonly attached = new Set<unknown>();
  get listeners(): number {
    return this.attached.size;
  }
  override addEventListener(...args: Parameters<EventTarget["addEventListener"]>) {
    this.attached.add(args[1]);
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>) {
    this.attached.delete(args[1]);
    super.removeEventListener(...args);
  }
}

function setUp() {
  const target = new CountingTarget();
  const events = new TaskEvents(target);
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
    await store.insert(aTaskRecord());
    const stream = await subscriptions.watch(ALICE, "vt_1");
    expect(target.listeners).toBe(1);
    await stream.return!();
    expect(target.listeners).toBe(0);
  });

  it("detaches its listener when the client unsubscribes mid-stream", async () => {
    const { target, store, subscriptions } = setUp();
    await store.insert(aTaskRecord());
    const stream = await subscriptions.watch(ALICE, "vt_1");
    expect((await stream.next()).value.version).toBe(1);
    await stream.return!();
    expect(target.listeners).toBe(0);
  });

  it("delivers a change that lands while the snapshot is read once, in version order", async () => {
    const { events, store, subscriptions } = setUp();
    const task = aTaskRecord();
    await store.insert(task);
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
    await store.insert(task);
    const stream = await subscriptions.watch(ALICE, "vt_1");
    events.publish(version(task, 4));
    events.publish(version(task, 6, TaskStatus.FAILED));
    const seen: number[] = [];
    for await (const update of stream) seen.push(update.version);
    expect(seen).toEqual([5, 6]);
  });

  it("a finished task yields its final snapshot and completes, leaving no listener", async () => {
    const { target, store, subscriptions } = setUp();
    await store.insert(aTaskRecord({ status: TaskStatus.SUCCEEDED }));
    const seen: string[] = [];
    for await (const update of await subscriptions.watch(ALICE, "vt_1")) seen.push(update.status);
    expect(seen).toEqual(["SUCCEEDED"]);
    expect(target.listeners).toBe(0);
  });

  it("another principal's task is NOT_FOUND, and no listener is left behind", async () => {
    const { target, store, subscriptions } = setUp();
    await store.insert(aTaskRecord());
    await expect(
      subscriptions.watch({ id: "key:bob", via: "client-key" }, "vt_1"),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(subscriptions.watch(ALICE, "vt_missing")).rejects.toBeInstanceOf(NotFoundError);
    expect(target.listeners).toBe(0);
  });
});
