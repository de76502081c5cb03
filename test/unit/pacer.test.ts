import { busiestWindow } from "../helpers/windows";
import { Pacer } from "../../src/scheduler/pacer";

/**
 * Drives a pacer the way the scheduler does: retry after waitMs plus a random timer lateness; each
 * request takes `latencyMs()` and settles then. Returns when each request reached the upstream
 * (after `delayMs()` of its latency, the rest being the way back).
 */
function drive(
  rate: number,
  lateMs: () => number,
  { durationMs = 10_000, latencyMs = (): number => 2, delayMs = (): number => 1 } = {},
): number[] {
  const pacer = new Pacer(rate);
  const arrived: number[] = [];
  let now = 0;
  while (now < durationMs) {
    const slot = pacer.tryTake(now);
    if (slot.taken) {
      const delay = delayMs();
      arrived.push(now + delay);
      pacer.settled(slot.slot, now + Math.max(delay, latencyMs()));
    } else now += slot.waitMs + lateMs();
  }
  return arrived.sort((a, b) => a - b);
}

function random(max: number, seed = 42) {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * max;
}

describe("Pacer", () => {
  it.each([1, 2, 7, 20, 200, 500, 1000])(
    "never lets more than R = %i requests into any one-second window, with late timers",
    (rate) => {
      expect(busiestWindow(drive(rate, random(5)), 1000)).toBeLessThanOrEqual(rate);
      expect(busiestWindow(drive(rate, random(50)), 1000)).toBeLessThanOrEqual(rate);
      expect(
        busiestWindow(
          drive(rate, () => 0),
          1000,
        ),
      ).toBeLessThanOrEqual(rate);
    },
  );

  it.each([20, 200, 500])(
    "keeps at least 95%% of R = %i per second when every timer fires up to 20 ms late",
    (rate) => {
      const arrived = drive(rate, random(20), { durationMs: 20_000 });
      expect(arrived.length / 20).toBeGreaterThanOrEqual(rate * 0.95);
    },
  );

  it("holds R at the upstream when some requests are held up for tens of ms before they leave", () => {
    const stalls = random(1, 7);
    const delayMs = () => (stalls() < 0.05 ? 80 : 1); // one request in 20 waits out an 80 ms pause
    const arrived = drive(200, random(5), { durationMs: 20_000, delayMs, latencyMs: () => 2 });
    expect(busiestWindow(arrived, 1000)).toBeLessThanOrEqual(200);
    expect(arrived.length / 20).toBeGreaterThanOrEqual(200 * 0.9);
  });

  it("a late timer takes the slots it missed at once, up to 25 ms of them", () => {
    const pacer = new Pacer(200); // a slot every 5 ms
    const takeAll = (at: number) => {
      let taken = 0;
      for (let slot = pacer.tryTake(at); slot.taken; slot = pacer.tryTake(at)) {
        pacer.settled(slot.slot, at);
        taken += 1;
      }
      return taken;
    };
    expect(takeAll(1000)).toBe(6); // the slot due now and the 5 of the 25 ms before
    expect(pacer.tryTake(1000)).toEqual({ taken: false, waitMs: 5 });
    expect(takeAll(1045)).toBe(6); // 40 ms late: the last 25 ms of slots, not all 40
    expect(takeAll(1050)).toBe(1);
  });

  it("holds R in a sliding window even when the schedule would allow more", () => {
    const pacer = new Pacer(10);
    for (let at = 0; at < 1000; at += 100) {
      const slot = pacer.tryTake(at);
      expect(slot).toMatchObject({ taken: true });
      if (slot.taken) pacer.settled(slot.slot, at);
    }
    // The 11th waits until the 1st is a window (plus a 10 ms margin) past.
    expect(pacer.tryTake(1000)).toEqual({ taken: false, waitMs: 10 });
    expect(pacer.tryTake(1010)).toMatchObject({ taken: true });
  });

  it("a request still in flight, or one that took long, holds its place in the log", () => {
    const pacer = new Pacer(1);
    const first = pacer.tryTake(0);
    expect(first).toMatchObject({ taken: true });
    expect(pacer.tryTake(5000)).toMatchObject({ taken: false }); // not settled yet
    if (first.taken) pacer.settled(first.slot, 300); // 300 ms, the fastest seen: no excess
    expect(pacer.tryTake(5000)).toMatchObject({ taken: true });
  });

  it("frees no slot when the clock steps back", () => {
    const pacer = new Pacer(1);
    const slot = pacer.tryTake(5000);
    if (slot.taken) pacer.settled(slot.slot, 5000);
    expect(pacer.tryTake(1000)).toEqual({ taken: false, waitMs: 1010 });
  });
});
