import { RateLimiterMemory } from "rate-limiter-flexible";
import { UpstreamError, type UpstreamClient } from "../../src/ports/upstream-client";
import { ClockSecondPollGate } from "../../src/rate-limit/clock-second.poll-gate";
import { anUpstreamState, aTextRequest } from "../helpers/fixtures";

describe("ClockSecondPollGate", () => {
  const sent: string[] = [];
  const upstream: UpstreamClient = {
    submit: async () => ({ upstreamTaskId: "task_new" }),
    getTask: async (id) => {
      sent.push(id);
      return anUpstreamState({ upstreamTaskId: id });
    },
  };
  let now = 0;
  const gate = (rate: number) =>
    new ClockSecondPollGate(upstream, new RateLimiterMemory({ points: rate, duration: 2 }), {
      ratePerSecond: rate,
      arrivalMarginMs: 100,
      now: () => now,
    });
  const outcome = (call: Promise<unknown>) =>
    call.then(
      () => "sent",
      (error: UpstreamError) => `${error.kind} ${error.details.retryAfterMs}`,
    );
  beforeEach(() => {
    sent.length = 0;
  });

  it("lets at most the rate through in one clock second, and defers the rest to the next", async () => {
    const polls = gate(3);
    now = 10_000_200;
    const first = await Promise.all([1, 2, 3, 4].map((i) => outcome(polls.getTask(`t${i}`))));
    expect(first).toEqual(["sent", "sent", "sent", "deferred 800"]);
    now = 10_001_000; // the next clock second has its own count
    expect(await outcome(polls.getTask("t4"))).toBe("sent");
    expect(sent).toEqual(["t1", "t2", "t3", "t4"]);
  });

  it("sends nothing in the last 100 ms of a second, so a late request cannot land in the next", async () => {
    const polls = gate(10);
    now = 20_000_950;
    expect(await outcome(polls.getTask("late"))).toBe("deferred 50");
    expect(sent).toEqual([]);
  });

  it("sends nothing when the count answered only once the margin was reached", async () => {
    const slowCounter = new RateLimiterMemory({ points: 10, duration: 2 });
    const consume = slowCounter.consume.bind(slowCounter);
    slowCounter.consume = async (key, points) => {
      const answer = await consume(key, points);
      now += 870; // a Redis round trip and a busy event loop, from 30 ms into the second to 900
      return answer;
    };
    const polls = new ClockSecondPollGate(upstream, slowCounter, {
      ratePerSecond: 10,
      arrivalMarginMs: 100,
      now: () => now,
    });
    now = 40_000_030;
    expect(await outcome(polls.getTask("slow"))).toBe("deferred 100");
    slowCounter.consume = async (key, points) => {
      const answer = await consume(key, points);
      now = 40_001_020; // already in the next second, which this poll was not counted in
      return answer;
    };
    now = 40_000_500;
    expect(await outcome(polls.getTask("later"))).toBe("deferred 0");
    expect(sent).toEqual([]);
  });

  it("passes submits untouched, whatever the count", async () => {
    const polls = gate(1);
    now = 30_000_000;
    await polls.getTask("t1");
    await expect(polls.submit(aTextRequest(), { idempotencyKey: "vt_1" })).resolves.toEqual({
      upstreamTaskId: "task_new",
    });
  });
});
