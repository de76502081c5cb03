import { createRedisConnections, type RedisConnections } from "../../src/app/redis";
import { createLogger } from "../../src/observability/logger";
import type { PollHandler, PollOutcome } from "../../src/ports/poll-scheduler";
import {
  BullMqPollScheduler,
  type BullMqPollSchedulerOptions,
} from "../../src/scheduler/bullmq.poll-scheduler";
import { startTestRedis, type TestRedis } from "../helpers/redis-server";
import { waitFor } from "../helpers/wait-for";

const logger = createLogger("silent");
const OPTIONS: Omit<BullMqPollSchedulerOptions, "instanceId"> = {
  prefix: "test-polls",
  concurrency: 8,
  ratePerSecond: 1000,
  leaseMs: 10_000,
};

describe("BullMqPollScheduler (polls scheduled on BullMQ)", () => {
  let redis: TestRedis;
  const opened: RedisConnections[] = [];
  const schedulers: BullMqPollScheduler[] = [];

  beforeEach(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop(1000)));
    opened.splice(0).forEach((connections) => connections.disconnect());
    await redis.stop();
  });

  const instance = async (options: Partial<BullMqPollSchedulerOptions> = {}) => {
    const connections = createRedisConnections(redis.url, logger);
    opened.push(connections);
    await connections.ready(5000);
    const scheduler = new BullMqPollScheduler(
      connections,
      { ...OPTIONS, instanceId: `instance-${opened.length}`, ...options },
      logger,
    );
    schedulers.push(scheduler);
    return scheduler;
  };

  /** Records every call; answers from `decide`, after `gate` resolves when one is given. */
  const recordingHandler = (decide: (taskId: string, failures: number) => PollOutcome) => {
    const calls: Array<{ taskId: string; failures: number; at: number }> = [];
    let gate: Promise<void> | null = null;
    const handler: PollHandler = async (taskId, failures) => {
      calls.push({ taskId, failures, at: Date.now() });
      if (gate) await gate;
      return decide(taskId, failures);
    };
    return { handler, calls, hold: (until: Promise<void>) => (gate = until) };
  };

  it("polls a task until its handler says it is done, waiting the delay it chose, carrying the failure count", async () => {
    const scheduler = await instance();
    const { handler, calls } = recordingHandler((_id, failures) =>
      failures < 2 ? { nextInMs: 50, failures: failures + 1 } : { nextInMs: null, failures: 0 },
    );
    await scheduler.start(handler);
    await scheduler.schedule("vt_a", 0);
    await waitFor(() => calls.length === 3, { what: "three polls" });
    expect(calls.map((call) => call.failures)).toEqual([0, 1, 2]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(45);
    await waitFor(async () => (await scheduler.scheduled()) === 0, { what: "the job removed" });
  });

  it("scheduling a task that has a job (waiting, delayed or being polled) changes nothing", async () => {
    const scheduler = await instance();
    let release!: () => void;
    const { handler, calls, hold } = recordingHandler(() => ({ nextInMs: 60_000, failures: 0 }));
    hold(new Promise<void>((resolve) => (release = resolve)));
    // Waiting (not started yet), then delayed: a second schedule neither adds nor moves it.
    await scheduler.schedule("vt_waiting", 0);
    await scheduler.schedule("vt_waiting", 0);
    await scheduler.schedule("vt_delayed", 60_000);
    await scheduler.schedule("vt_delayed", 0);
    expect(await scheduler.scheduled()).toBe(2);
    await scheduler.start(handler);
    await waitFor(() => calls.length === 1, { what: "the waiting task's poll" });
    // Active (its poll is held open): another schedule does not start a second poll stream.
    await scheduler.schedule("vt_waiting", 0);
    expect(await scheduler.scheduled()).toBe(2);
    release();
    await waitFor(async () => (await scheduler.scheduled()) === 2);
    expect(calls.map((call) => call.taskId)).toEqual(["vt_waiting"]);
  });

  // BullMQ's limiter counts a poll when a worker takes the job; the handler starts a little later,
  // later still on a busy machine, so a clock second of handler starts can hold polls taken in the
  // one before. What the limiter guarantees is the rate over time; the upstream's clock-second bound
  // is ClockSecondPollGate's (test/cluster/cluster-rate.test.ts).
  it("two instances together start polls at the rate, not as fast as they can", async () => {
    const rate = 5;
    const [a, b] = [
      await instance({ ratePerSecond: rate }),
      await instance({ ratePerSecond: rate }),
    ];
    const calls: number[] = [];
    const handler: PollHandler = async () => {
      calls.push(Date.now());
      return { nextInMs: 0, failures: 0 };
    };
    await Promise.all([a.start(handler), b.start(handler)]);
    for (let i = 0; i < 20; i++) await a.schedule(`vt_${i}`, 0);
    await waitFor(() => calls.length >= 4 * rate, { what: "four windows of polls" });
    // At 5 per window the first 20 polls start in four windows, over 3 s or more; unlimited, they
    // would all start within milliseconds. Handlers may start late, so only more than 1 s is asked.
    const taken = calls.slice(0, 4 * rate);
    expect(taken.at(-1)! - taken[0]).toBeGreaterThan(1000);
  });

  it("no more polls run at once across instances than the cluster's concurrency", async () => {
    const [a, b] = [await instance({ concurrency: 3 }), await instance({ concurrency: 3 })];
    let running = 0;
    let most = 0;
    let done = 0;
    const handler: PollHandler = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running -= 1;
      done += 1;
      return { nextInMs: null, failures: 0 };
    };
    await Promise.all([a.start(handler), b.start(handler)]);
    for (let i = 0; i < 12; i++) await a.schedule(`vt_${i}`, 0);
    await waitFor(() => done === 12, { what: "every poll" });
    expect(most).toBeLessThanOrEqual(3);
  });

  it("when Redis comes back empty it says schedules were lost, and polling resumes once rescheduled", async () => {
    const scheduler = await instance();
    const { handler, calls } = recordingHandler(() => ({ nextInMs: 100, failures: 0 }));
    let lost = 0;
    await scheduler.start(handler, () => (lost += 1));
    await scheduler.schedule("vt_a", 0);
    await waitFor(() => calls.length > 0);
    await redis.stop();
    await expect(scheduler.schedule("vt_b", 0)).rejects.toThrow();
    await redis.start();
    await waitFor(() => lost === 1, { what: "the lost schedules reported", timeoutMs: 15_000 });
    const before = calls.length;
    await scheduler.schedule("vt_a", 0);
    await waitFor(() => calls.length > before, { what: "polls again", timeoutMs: 15_000 });
  });
});
