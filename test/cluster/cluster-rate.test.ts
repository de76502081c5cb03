import { CLIENTS, startTestCluster, submitOn, type TestCluster } from "../helpers/cluster";
import { waitFor } from "../helpers/wait-for";

describe("the poll rate of gateway processes sharing one queue", () => {
  let cluster: TestCluster;
  afterEach(() => cluster?.teardown(), 60_000);

  it("two instances together never poll more than POLL_RATE_PER_SECOND in any clock second", async () => {
    const rate = 5;
    // Far more polls due than the rate allows: 20 tasks every 100 ms want 200 polls a second.
    cluster = await startTestCluster({
      env: { POLL_RATE_PER_SECOND: String(rate), POLL_INTERVAL_MS: "100" },
    });
    const [a, b] = await Promise.all([cluster.spawn(), cluster.spawn()]);
    cluster.upstream.hold();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => submitOn(i % 2 ? b : a, CLIENTS.carol, `rate ${i}`)),
    );
    const firstPoll = () => cluster.upstream.stats().requests.find((r) => r.route === "status");
    await waitFor(() => firstPoll(), { what: "the first poll" });
    const from = Math.floor(firstPoll()!.at / 1000) + 1;
    await waitFor(() => Date.now() >= (from + 6) * 1000, { what: "six whole seconds" });
    const perSecond = new Map<number, number>();
    for (const { route, at } of cluster.upstream.stats().requests) {
      const second = Math.floor(at / 1000);
      if (route !== "status" || second < from || second >= from + 6) continue;
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const counts = [...perSecond.values()];
    process.stdout.write(`polls in each clock second: ${counts.join(", ")}\n`);
    expect(Math.max(...counts)).toBeLessThanOrEqual(rate);
    // The limit is what binds: the two instances together come close to it, not each to its own.
    expect(counts.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(rate * 4);
  }, 60_000);
});
