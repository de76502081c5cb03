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
      // Long enough that all 1000 are active at once.
      SIMULATOR_PROCESSING_MS: "6000",
    });
    try {
      for (let batch = 0; batch < 40; batch++) {
        await Promise.all(
          Array.from({ length: 25 }, () =>
            gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "one of many" } }),
          ),
        );
      }
      expect(gateway.simulator!.stats().acceptedSubmits).toBe(1000);
      await waitFor(async () => (await gateway.scheduler.scheduled()) === 0, {
        timeoutMs: 60_000,
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
      const polls = gateway
        .simulator!.stats()
        .requests.filter((r) => r.route === "status")
        .map((r) => r.at);
      expect(polls.length).toBeGreaterThan(1000);
      expect(busiestWindow(polls, 1000)).toBeLessThanOrEqual(rate);
    } finally {
      await gateway.stop();
    }
  }, 120_000);
});
