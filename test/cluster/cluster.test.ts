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

describe("two gateway processes on one PostgreSQL and one Redis behave as one gateway", () => {
  let cluster: TestCluster;
  let a: ChildGateway;
  let b: ChildGateway;

  beforeAll(async () => {
    cluster = await startTestCluster({ env: { MAX_ACTIVE_TASKS_PER_CLIENT: "6" } });
    [a, b] = await Promise.all([cluster.spawn(), cluster.spawn()]);
  }, 60_000);
  afterAll(() => cluster?.teardown(), 60_000);
  afterEach(() => cluster.upstream.release());

  it("a task submitted on A is watched to completion on B (and on A), and listed on B", async () => {
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
});
