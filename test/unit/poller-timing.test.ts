import { loadConfig } from "../../src/app/config";
import { DueQueue } from "../../src/scheduler/due-queue";
import { backoffDelay, nextPollDelay, type PollTimingOptions } from "../../src/poller/poll-timing";

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32), so failures can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("DueQueue", () => {
  it("is empty to begin with", () => {
    const queue = new DueQueue();
    expect(queue.size).toBe(0);
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
  });

  it("pops entries in due order, whatever order they were pushed in", () => {
    const queue = new DueQueue();
    queue.push("c", 300);
    queue.push("a", 100);
    queue.push("b", 200);
    expect(queue.peek()).toEqual({ id: "a", dueAt: 100 });
    expect([queue.pop(), queue.pop(), queue.pop()]).toEqual([
      { id: "a", dueAt: 100 },
      { id: "b", dueAt: 200 },
      { id: "c", dueAt: 300 },
    ]);
    expect(queue.size).toBe(0);
  });

  it("pops 1000 random entries in due order, each exactly once", () => {
    const random = seededRandom(42);
    const queue = new DueQueue();
    const pushed = Array.from({ length: 1000 }, (_, i) => ({
      id: `t${i}`,
      dueAt: Math.floor(random() * 500),
    }));
    pushed.forEach((entry) => queue.push(entry.id, entry.dueAt));
    expect(queue.size).toBe(1000);

    const popped = [];
    while (queue.size > 0) {
      const next = queue.peek();
      const entry = queue.pop();
      expect(entry).toBe(next);
      popped.push(entry!);
    }
    for (let i = 1; i < popped.length; i += 1) {
      expect(popped[i].dueAt).toBeGreaterThanOrEqual(popped[i - 1].dueAt);
    }
    expect(popped.map((entry) => entry.id).sort()).toEqual(pushed.map((entry) => entry.id).sort());
  });

  it("keeps due order when pushes and pops interleave", () => {
    const random = seededRandom(7);
    const queue = new DueQueue();
    let clock = 0;
    let last = -Infinity;
    for (let i = 0; i < 1000; i += 1) {
      queue.push(`t${i}`, clock + Math.floor(random() * 100));
      if (i % 3 === 2) {
        const entry = queue.pop()!;
        expect(entry.dueAt).toBeGreaterThanOrEqual(last);
        last = entry.dueAt;
        clock = entry.dueAt;
      }
    }
  });

  it("keeps both entries of a task pushed twice", () => {
    const queue = new DueQueue();
    queue.push("a", 50);
    queue.push("a", 10);
    expect([queue.pop(), queue.pop()]).toEqual([
      { id: "a", dueAt: 10 },
      { id: "a", dueAt: 50 },
    ]);
  });
});

describe("nextPollDelay", () => {
  const options: PollTimingOptions = {
    intervalMs: 1000,
    maxIntervalMs: 20_000,
    maxBackoffMs: 60_000,
    jitterRatio: 0,
  };
  const running = (estimatedSeconds: number | null, progress = 0) => ({
    estimatedSeconds,
    progress,
  });

  it("is the base interval when the upstream gives no estimate", () => {
    expect(nextPollDelay(running(null, 40), 5000, options)).toBe(1000);
  });

  it("is a quarter of the remaining time while much of the job remains", () => {
    // 60 s job, 20 s in, 10 %: 40 s remain by the clock, 54 s by progress; the smaller counts.
    expect(nextPollDelay(running(60, 10), 20_000, options)).toBe(10_000);
    // 60 s job, 4 s in, 50 %: 30 s remain by progress.
    expect(nextPollDelay(running(60, 50), 4000, options)).toBe(7500);
  });

  it("falls back to the base interval near the end, by the clock or by progress", () => {
    expect(nextPollDelay(running(60, 10), 58_000, options)).toBe(1000);
    expect(nextPollDelay(running(60, 99), 1000, options)).toBe(1000);
    expect(nextPollDelay(running(60, 150), 1000, options)).toBe(1000);
  });

  it("uses the base interval once the estimate is overrun", () => {
    expect(nextPollDelay(running(60, 10), 600_000, options)).toBe(1000);
  });

  it("ignores a zero estimate", () => {
    expect(nextPollDelay(running(0), 0, options)).toBe(1000);
  });

  it("never waits longer than maxIntervalMs", () => {
    expect(nextPollDelay(running(3600), 0, options)).toBe(20_000);
    expect(nextPollDelay(running(3600), 0, { ...options, maxIntervalMs: 1500 })).toBe(1500);
  });

  it("caps at maxIntervalMs even below the base interval", () => {
    expect(nextPollDelay(running(null), 0, { ...options, maxIntervalMs: 400 })).toBe(400);
  });

  it("spreads the delay by ±jitterRatio/2 around it, as the random draw says", () => {
    const jittered = { ...options, jitterRatio: 0.2 };
    expect(nextPollDelay(running(null), 0, jittered, () => 0)).toBe(900);
    expect(nextPollDelay(running(null), 0, jittered, () => 0.5)).toBe(1000);
    expect(nextPollDelay(running(null), 0, jittered, () => 0.999999)).toBe(1100);
    expect(nextPollDelay(running(3600), 0, jittered, () => 0)).toBe(18_000);
  });

  it("jitters by 10 % (±5 %) with the default POLL_JITTER_RATIO, always within bounds", () => {
    const defaults = { ...options, jitterRatio: loadConfig({}).poller.jitterRatio };
    const random = seededRandom(3);
    for (let i = 0; i < 500; i += 1) {
      const delay = nextPollDelay(running(null), 0, defaults, random);
      expect(delay).toBeGreaterThanOrEqual(950);
      expect(delay).toBeLessThanOrEqual(1050);
    }
  });
});

describe("backoffDelay", () => {
  const options: PollTimingOptions = {
    intervalMs: 1000,
    maxIntervalMs: 5000,
    maxBackoffMs: 30_000,
    jitterRatio: 0,
  };

  it("doubles its ceiling with each consecutive failure", () => {
    const top = () => 1;
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures, undefined, options, top))).toEqual(
      [2000, 4000, 8000, 16_000],
    );
  });

  it("draws within the ceiling (full jitter) but never below half the base interval", () => {
    expect(backoffDelay(3, undefined, options, () => 0.5)).toBe(4000);
    expect(backoffDelay(3, undefined, options, () => 0)).toBe(500);
    const random = seededRandom(11);
    for (let i = 0; i < 500; i += 1) {
      const delay = backoffDelay(4, undefined, options, random);
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });

  it("is capped at maxBackoffMs however many failures there were", () => {
    for (const failures of [5, 6, 20, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(failures, undefined, options, () => 1)).toBe(30_000);
    }
  });

  it("is capped at 60 s with the default POLL_MAX_BACKOFF_MS", () => {
    const defaults = { ...options, maxBackoffMs: loadConfig({}).poller.maxBackoffMs };
    expect(backoffDelay(30, undefined, defaults, () => 1)).toBe(60_000);
  });

  it("never retries sooner than Retry-After while it is within the cap", () => {
    expect(backoffDelay(1, 12_000, options, () => 0)).toBe(12_000);
    expect(backoffDelay(1, 29_000, options, () => 1)).toBe(29_000);
  });

  it("honours Retry-After only up to maxBackoffMs, never beyond", () => {
    expect(backoffDelay(1, 45_000, options, () => 1)).toBe(30_000);
    expect(backoffDelay(1, 3_600_000, options, () => 0)).toBe(30_000);
    expect(backoffDelay(1, 3_600_000, { ...options, maxBackoffMs: 4000 }, () => 0)).toBe(4000);
  });

  it("keeps its own delay when Retry-After is shorter", () => {
    expect(backoffDelay(3, 100, options, () => 1)).toBe(8000);
  });
});
