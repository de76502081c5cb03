import { busiestWindow } from "../helpers/windows";
import { GENERATE_FROM_TEXT, TASKS } from "../helpers/operations";
import { startTestGateway, waitFor } from "../helpers/test-gateway";

type Page = {
  tasks: { edges: Array<{ node: { status: string } }>; pageInfo: { endCursor: string | null } };
};

describe("the global poll rate limit", () => {
  it("1000 active tasks at R = 200 polls/s: the upstream never sees more than R in a second, and all finish", async () => {
    const rate = 200;
    const gateway = await startTestGateway({
      POLL_RATE_PER_SECOND: String(rate),
      POLL_CONCURRENCY: "64",
      POLL_INTERVAL_MS: "50",
      SIMULATOR_QUEUED_MS: "100",
      SIMULATOR_PROCESSING_MS: "400",
    });
    const simulator = gateway.simulator!;
    // Held jobs never finish, however long the 1000 submits take on a busy machine.
    simulator.hold();
    try {
      for (let batch = 0; batch < 40; batch++) {
        await Promise.all(
          Array.from({ length: 25 }, () =>
            gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "one of many" } }),
          ),
        );
      }
      expect(simulator.stats().acceptedSubmits).toBe(1000);
      expect(await gateway.scheduler.scheduled()).toBe(1000);
      // Every task polled twice over: the poller has run at its limit with all 1000 active.
      await waitFor(
        () => {
          const polls = Object.values(simulator.stats().pollsByTask);
          return polls.length === 1000 && polls.every((n) => n >= 2);
        },
        { timeoutMs: 90_000, intervalMs: 200, what: "two polls of every task" },
      );
      simulator.release();
      await waitFor(async () => (await gateway.scheduler.scheduled()) === 0, {
        timeoutMs: 90_000,
        intervalMs: 200,
        what: "every task to finish",
      });
      let succeeded = 0;
      let after: string | null = null;
      do {
        const { body }: { body: { data?: Page | null } } = await gateway.gql<Page>(TASKS, {
          first: 100,
          after,
          status: ["SUCCEEDED"],
        });
        succeeded += body.data!.tasks.edges.length;
        after = body.data!.tasks.edges.length === 100 ? body.data!.tasks.pageInfo.endCursor : null;
      } while (after);
      expect(succeeded).toBe(1000);
      const polls = simulator
        .stats()
        .requests.filter((r) => r.route === "status")
        .map((r) => r.at);
      expect(polls.length).toBeGreaterThan(3000);
      expect(busiestWindow(polls, 1000)).toBeLessThanOrEqual(rate);
    } finally {
      await gateway.stop();
    }
  }, 240_000);
});
