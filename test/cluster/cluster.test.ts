import { Queue } from "bullmq";
import type { ChildGateway } from "../helpers/child-gateway";
import {
  CLIENTS,
  readiness,
  startTestCluster,
  submitOn,
  watch,
  type TestCluster,
} from "../helpers/cluster";
import { TASKS, type TaskView } from "../helpers/operations";
import { postGraphql } from "../helpers/test-gateway";
import { waitFor } from "../helpers/wait-for";

type Listed = { tasks: { edges: Array<{ node: TaskView }> } };

const POLL_INTERVAL_MS = 200;
/** The default POLL_LEASE_MS: a dead instance's poll in progress is taken over within it. */
const LEASE_MS = 10_000;
/** Timers of a loaded test machine run late; the point is the lease, not the last millisecond. */
const TIMER_SLACK_MS = 2000;

/**
 * One cluster for the file, as starting gateway processes is what takes time: A alone first (for
 * the one-instance baseline), then A and B. Every test that needs B starts it if no test did yet.
 */
describe("gateway processes on one PostgreSQL and one Redis behave as one gateway", () => {
  let cluster: TestCluster;
  let a: ChildGateway;
  let second: ChildGateway | undefined;
  const withB = async () => (second ??= await cluster.spawn());

  beforeAll(async () => {
    // Jobs of 3 s: about ten polls each, so one poll more or less is noise of a tenth, not a quarter.
    cluster = await startTestCluster({
      env: { MAX_ACTIVE_TASKS_PER_CLIENT: "6" },
      upstream: { processingMs: 3000 },
    });
    a = await cluster.spawn();
  }, 60_000);
  afterAll(() => cluster?.teardown(), 60_000);
  afterEach(() => {
    cluster.upstream.release();
    cluster.upstream.faults.clear();
  });

  it("two instances poll a task no more often than one does (within 1.3x), one poll stream each", async () => {
    const pollsPerTask = async (gateways: ChildGateway[], label: string) => {
      const before = cluster.upstream.stats().acceptedTaskIds.length;
      // Eight tasks of two principals, within the quota of six unfinished tasks each.
      const principal = (i: number) => (i % 2 ? CLIENTS.erin : CLIENTS.bob);
      const gateway = (i: number) => gateways[Math.floor(i / 2) % gateways.length];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => submitOn(gateway(i), principal(i), `${label} ${i}`)),
      );
      expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
      await Promise.all(
        results.map(
          ({ task }, i) => watch(cluster.client(gateway(i), principal(i)), task!.id).done,
        ),
      );
      const { acceptedTaskIds, requests } = cluster.upstream.stats();
      const polls = acceptedTaskIds
        .slice(before)
        .map((id) =>
          requests.filter((r) => r.route === "status" && r.taskId === id).map((r) => r.at),
        );
      // One stream per task: never two polls closer than the shortest interval the poller picks.
      for (const times of polls) {
        for (let i = 1; i < times.length; i++) {
          expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(POLL_INTERVAL_MS * 0.9);
        }
      }
      return polls.reduce((sum, times) => sum + times.length, 0) / polls.length;
    };
    const alone = await pollsPerTask([a], "one instance");
    const together = await pollsPerTask([a, await withB()], "two instances");
    process.stdout.write(`polls per task: one instance ${alone}, two ${together}\n`);
    expect(together).toBeLessThanOrEqual(alone * 1.3);
  }, 60_000);

  it("a task submitted on A is watched to completion on B (and on A), and listed on B", async () => {
    const b = await withB();
    cluster.upstream.hold();
    const { task } = await submitOn(a, CLIENTS.alice, "a kite over the dunes");
    const onB = watch(cluster.client(b, CLIENTS.alice), task!.id);
    const onA = watch(cluster.client(a, CLIENTS.alice), task!.id);
    await Promise.all([onA.nth(1), onB.nth(1)]);
    cluster.upstream.release();
    await Promise.all([onA.done, onB.done]);
    // Whichever instance polled it, the other one heard every change through Redis.
    for (const sub of [onA, onB]) {
      const versions = sub.events.map((event) => event.taskUpdated.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
    }
    const listed = await postGraphql<Listed>(b.url, TASKS, {}, CLIENTS.alice);
    expect(listed.body.data!.tasks.edges.map((edge) => edge.node.id)).toEqual([task!.id]);
    expect(listed.body.data!.tasks.edges[0].node.status).toBe("SUCCEEDED");
  });

  it("the same idempotencyKey sent to A and B at once makes one task and one upstream submit", async () => {
    const b = await withB();
    const before = cluster.upstream.stats();
    // A slow upstream submit, so the second request arrives while the first is in flight.
    cluster.upstream.faults.add({ route: "submit", fault: { type: "slow", delayMs: 500 } });
    const [onA, onB] = await Promise.all([
      submitOn(a, CLIENTS.bob, "twin request", "bob-key-1"),
      submitOn(b, CLIENTS.bob, "twin request", "bob-key-1"),
    ]);
    expect(onA.errors).toBeUndefined();
    expect(onB.errors).toBeUndefined();
    expect(onB.task!.id).toBe(onA.task!.id);
    const after = cluster.upstream.stats();
    expect(after.submits - before.submits).toBe(1);
    expect(after.acceptedSubmits - before.acceptedSubmits).toBe(1);
  });

  it("the active-task quota (6) holds across A and B: of nine concurrent submits, six are accepted", async () => {
    const b = await withB();
    cluster.upstream.hold();
    const results = await Promise.all(
      [a, b, a, b, a, b, a, b, a].map((gateway, i) =>
        submitOn(gateway, CLIENTS.carol, `quota ${i}`),
      ),
    );
    const accepted = results.filter((result) => result.task);
    const refused = results.flatMap((result) => result.errors ?? []);
    expect(accepted).toHaveLength(6);
    expect(refused.map((error) => error.extensions?.code)).toEqual([
      "QUOTA_EXCEEDED",
      "QUOTA_EXCEEDED",
      "QUOTA_EXCEEDED",
    ]);
  });

  it("Redis stopped for 5 s under load: no crash, readiness flips and returns, every task finishes, every subscriber sees it", async () => {
    const b = await withB();
    cluster.upstream.hold();
    const submitted = await Promise.all(
      [a, b, a, b].map((gateway, i) => submitOn(gateway, CLIENTS.dave, `before the outage ${i}`)),
    );
    const watchers = submitted.flatMap(({ task }) => [
      watch(cluster.client(a, CLIENTS.dave), task!.id),
      watch(cluster.client(b, CLIENTS.dave), task!.id),
    ]);
    await Promise.all(watchers.map((sub) => sub.nth(1)));

    await cluster.redis.stop();
    const stoppedAt = Date.now();
    for (const gateway of [a, b]) {
      await waitFor(async () => (await readiness(gateway)).status === 503, { what: "not ready" });
      expect((await readiness(gateway)).checks).toMatchObject({ store: "ok", redis: "failed" });
    }
    // Submits and queries need only PostgreSQL: they go on, and the new tasks are not lost.
    const during = await Promise.all(
      [a, b].map((gateway, i) => submitOn(gateway, CLIENTS.dave, `during the outage ${i}`)),
    );
    expect(during.map((result) => result.errors)).toEqual([undefined, undefined]);
    for (const { task } of during) {
      watchers.push(watch(cluster.client(a, CLIENTS.dave), task!.id));
      watchers.push(watch(cluster.client(b, CLIENTS.dave), task!.id));
    }
    const listed = await postGraphql<Listed>(b.url, TASKS, {}, CLIENTS.dave);
    expect(listed.body.data!.tasks.edges).toHaveLength(6);
    await Promise.all(watchers.map((sub) => sub.nth(1)));

    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 5000 - (Date.now() - stoppedAt))),
    );
    await cluster.redis.start();
    cluster.upstream.release();
    for (const gateway of [a, b]) {
      await waitFor(async () => (await readiness(gateway)).status === 200, {
        what: "ready again",
        timeoutMs: 15_000,
      });
    }
    await Promise.all(watchers.map((sub) => sub.done));
    for (const sub of watchers) {
      expect(sub.errors).toEqual([]);
      expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
    }
    expect([a.process.exitCode, b.process.exitCode]).toEqual([null, null]);
  }, 60_000);

  it("kill -9 of the instance polling a task: the other finishes it within the lease plus one poll interval", async () => {
    const b = await withB();
    // The first poll of the task never gets an answer: its instance dies holding the job's lock.
    cluster.upstream.faults.add({ route: "status", fault: { type: "hang" } });
    const { task } = await submitOn(a, CLIENTS.alice, "a heron lifting off");
    const upstreamId = (await waitFor(() => cluster.upstream.stats().acceptedTaskIds.at(-1)))!;
    await waitFor(() => cluster.upstream.stats().pollsByTask[upstreamId] === 1, {
      what: "the hanging poll",
    });
    // Which instance holds it: BullMQ names the worker that took the job (the instance id).
    const queue = new Queue("task-polls", {
      prefix: "video-gateway",
      connection: { url: cluster.redis.url },
    });
    const holder = (await queue.getJob(task!.id))!.processedBy;
    await queue.close();
    const [dying, survivor] = holder === a.instanceId ? [a, b] : [b, a];
    expect(dying.instanceId).toBe(holder);
    const sub = watch(cluster.client(survivor, CLIENTS.alice), task!.id);
    await sub.nth(1);

    dying.process.kill("SIGKILL");
    await dying.exited;
    const killedAt = Date.now();
    await sub.done;
    const takeover = cluster.upstream
      .stats()
      .requests.find((request) => request.taskId === upstreamId && request.at > killedAt)!;
    const takeoverMs = takeover.at - killedAt;
    process.stdout.write(`takeover after kill -9: ${takeoverMs} ms\n`);
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + POLL_INTERVAL_MS + TIMER_SLACK_MS);
    expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
  }, 60_000);
});
