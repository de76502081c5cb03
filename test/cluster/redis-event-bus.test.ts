import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createRedisConnections, type RedisConnections } from "../../src/app/redis";
import type { TaskRecord } from "../../src/domain/task";
import { RedisEventBus } from "../../src/events/redis.event-bus";
import { createLogger } from "../../src/observability/logger";
import type { TaskEventSubscriber } from "../../src/ports/task-event-bus";
import { aTaskRecord } from "../helpers/fixtures";
import { startTestRedis, type TestRedis } from "../helpers/redis-server";
import { waitFor } from "../helpers/wait-for";

const PREFIX = "test:";
const logger = createLogger("silent");

/** A subscriber that records what it is told. */
function recorder() {
  const seen: TaskRecord[] = [];
  let resyncs = 0;
  const subscriber: TaskEventSubscriber = {
    next: (task) => seen.push(task),
    resync: () => (resyncs += 1),
  };
  return { subscriber, seen, resyncs: () => resyncs };
}

describe("RedisEventBus (task events across instances on Redis pub/sub)", () => {
  let redis: TestRedis;
  const opened: RedisConnections[] = [];
  const buses: RedisEventBus[] = [];
  let admin: Redis;

  beforeEach(async () => {
    redis = await startTestRedis();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    opened.splice(0).forEach((connections) => connections.disconnect());
    admin.disconnect();
    await redis.stop();
  });

  /** One gateway instance's bus, on its own connections. */
  const instance = async () => {
    const connections = createRedisConnections(redis.url, logger);
    opened.push(connections);
    await connections.ready(5000);
    const bus = new RedisEventBus(connections.publisher, connections.subscriber, logger, {
      channelPrefix: PREFIX,
      instanceId: randomUUID(),
    });
    buses.push(bus);
    return bus;
  };
  const subscribers = async (channel: string) =>
    ((await admin.pubsub("NUMSUB", PREFIX + channel)) as [string, number])[1];

  it("a subscriber on one instance gets a change published on another the moment subscribe resolved, dates intact", async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = recorder();
    await b.subscribe({ taskId: "vt_1" }, onB.subscriber);
    // No wait between: subscribe resolved only once Redis confirmed the SUBSCRIBE.
    const task = aTaskRecord({ completedAt: new Date(Date.UTC(2025, 5, 1, 12, 5)) });
    await a.publish(task);
    await waitFor(() => onB.seen.length === 1, { what: "the change on B" });
    expect(onB.seen[0]).toEqual(task);
    expect(onB.seen[0].createdAt).toBeInstanceOf(Date);
  });

  it("the owner's topic hears every task of that owner, and no other owner's", async () => {
    const [a, b] = [await instance(), await instance()];
    const alice = recorder();
    await b.subscribe({ ownerId: "key:alice" }, alice.subscriber);
    await a.publish(aTaskRecord({ id: "vt_1", ownerId: "key:bob" }));
    await a.publish(aTaskRecord({ id: "vt_2", ownerId: "key:alice" }));
    await waitFor(() => alice.seen.length === 1, { what: "alice's change" });
    expect(alice.seen.map((task) => task.id)).toEqual(["vt_2"]);
  });

  it("an instance's own change reaches its own subscribers once", async () => {
    const a = await instance();
    const here = recorder();
    await a.subscribe({ taskId: "vt_1" }, here.subscriber);
    await a.publish(aTaskRecord({ version: 2 }));
    await a.publish(aTaskRecord({ version: 3 }));
    // The third goes through Redis to an observer, so the first two have come back by then if ever.
    const b = await instance();
    const there = recorder();
    await b.subscribe({ taskId: "vt_1" }, there.subscriber);
    await a.publish(aTaskRecord({ version: 4 }));
    await waitFor(() => there.seen.length === 1, { what: "the observer's event" });
    expect(here.seen.map((task) => task.version)).toEqual([2, 3, 4]);
  });

  it("holds one Redis subscription per channel per instance, and drops it when the last local subscriber leaves", async () => {
    const a = await instance();
    const detachFirst = await a.subscribe({ taskId: "vt_1" }, recorder().subscriber);
    const detachSecond = await a.subscribe({ taskId: "vt_1" }, recorder().subscriber);
    expect(await subscribers("task:vt_1")).toBe(1);
    detachFirst();
    detachFirst(); // idempotent
    expect(await subscribers("task:vt_1")).toBe(1);
    detachSecond();
    await waitFor(async () => (await subscribers("task:vt_1")) === 0, { what: "UNSUBSCRIBE" });
    expect(a.channelCount).toBe(0);
  });

  it("after Redis restarts, every subscriber is told to resync once the subscription is live again, and changes flow again", async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = recorder();
    await b.subscribe({ taskId: "vt_1" }, onB.subscriber);
    await redis.stop();
    await expect(a.publish(aTaskRecord({ version: 2 }))).rejects.toThrow();
    await redis.start();
    await waitFor(() => onB.resyncs() === 1, { what: "the resync", timeoutMs: 15_000 });
    // The resync came after Redis confirmed the SUBSCRIBE: what is published now arrives.
    expect(await subscribers("task:vt_1")).toBe(1);
    await waitFor(async () => {
      await a.publish(aTaskRecord({ version: 3 })).catch(() => undefined);
      return onB.seen.some((task) => task.version === 3);
    });
  });
});
