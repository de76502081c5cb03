import type { ChildGateway } from "../helpers/child-gateway";
import {
  CLIENTS,
  readiness,
  startTestCluster,
  submitOn,
  watch,
  type TestCluster,
} from "../helpers/cluster";
import { TASK, type TaskView } from "../helpers/operations";
import { startPrivatePostgres, type PrivatePostgres } from "../helpers/private-postgres";
import { postGraphql } from "../helpers/test-gateway";
import { waitFor } from "../helpers/wait-for";

/** Far above the 1 s timeouts configured below: only a request that truly hangs could lose. */
const GENEROUS_MS = 15_000;

const unavailable = expect.objectContaining({
  extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 },
});

describe("a cluster whose PostgreSQL goes away and comes back", () => {
  let server: PrivatePostgres;
  let cluster: TestCluster;
  let a: ChildGateway;
  let b: ChildGateway;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    cluster = await startTestCluster({
      postgresServerUrl: server.url,
      env: {
        DATABASE_CONNECT_TIMEOUT_MS: "1000",
        DATABASE_STATEMENT_TIMEOUT_MS: "1000",
        // Polls that failed during the outage back off no longer than this.
        POLL_MAX_BACKOFF_MS: "2000",
      },
    });
    [a, b] = await Promise.all([cluster.spawn(), cluster.spawn()]);
  }, 60_000);
  afterAll(async () => {
    await cluster?.teardown();
    await server?.destroy();
  }, 60_000);

  it("answers SERVICE_UNAVAILABLE with retryAfterSeconds at once on every instance, then recovers by itself", async () => {
    cluster.upstream.hold();
    const { task } = await submitOn(a, CLIENTS.alice, "a lantern on the water");
    const sub = watch(cluster.client(b, CLIENTS.alice), task!.id);
    await sub.nth(1);

    await server.stop();
    const began = Date.now();
    const [submitted, keyed, read] = await Promise.all([
      submitOn(a, CLIENTS.alice, "while the store is away"),
      submitOn(b, CLIENTS.alice, "while the store is away", "alice-key-1"),
      postGraphql<{ task: TaskView | null }>(b.url, TASK, { id: task!.id }, CLIENTS.alice),
    ]);
    expect(Date.now() - began).toBeLessThan(GENEROUS_MS);
    expect(submitted.errors).toEqual([unavailable]);
    expect(keyed.errors).toEqual([unavailable]);
    expect(read.body.errors).toEqual([unavailable]);
    expect((await readiness(a)).checks).toMatchObject({ store: "failed", redis: "ok" });
    expect(cluster.upstream.stats().submits).toBe(1);

    await server.start();
    cluster.upstream.release();
    // Nothing restarted: the pools reconnect, polling goes on, the subscriber sees the end.
    await sub.done;
    expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
    for (const gateway of [a, b]) {
      await waitFor(async () => (await readiness(gateway)).status === 200, { what: "ready" });
    }
    const [onA, onB] = await Promise.all([
      submitOn(a, CLIENTS.bob, "after the outage", "bob-key-1"),
      submitOn(b, CLIENTS.bob, "after the outage", "bob-key-1"),
    ]);
    expect(onB.task!.id).toBe(onA.task!.id);
    expect([a.process.exitCode, b.process.exitCode]).toEqual([null, null]);
  }, 60_000);
});
