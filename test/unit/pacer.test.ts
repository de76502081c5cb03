import { busiestWindow } from "../helpers/windows";
import { Pacer } from "../../src/scheduler/pacer";

/** Drives a pacer the way the poller does: retry after waitMs, plus a random timer lateness. */
function drive(rate: number, lateMs: () => number, durationMs = 10_000): number[] {
  const pacer = new Pacer(rate);
  const taken: number[] = [];
  let now = 0;
  while (now < durationMs) {
    const slot = pacer.tryTake(now);
    if (slot.taken) taken.push(now);
    else now += slot.waitMs + lateMs();
  }
  return taken;
}

describe("Pacer", () => {
  it.each([1, 2, 7, 20, 200, 1000])(
    "never lets more than R = %i requests into any one-second window, with late timers",
    (rate) => {
      let seed = 42;
      const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 5;
      expect(busiestWindow(drive(rate, random), 1000)).toBeLessThanOrEqual(rate);
      expect(
        busiestWindow(
          drive(rate, () => 0),
          1000,
        ),
      ).toBeLessThanOrEqual(rate);
    },
  );

  it("spaces requests at least 1000 / R ms apart, however late the timers fire", () => {
    const taken = drive(50, () => 7);
    taken.slice(1).forEach((at, i) => expect(at - taken[i]).toBeGreaterThanOrEqual(20));
  });

  it("says how long to wait for the next token", () => {
    const pacer = new Pacer(10);
    expect(pacer.tryTake(1000)).toEqual({ taken: true });
    expect(pacer.tryTake(1000)).toEqual({ taken: false, waitMs: 101 });
    expect(pacer.tryTake(1040)).toEqual({ taken: false, waitMs: 61 });
    expect(pacer.tryTake(1100)).toEqual({ taken: false, waitMs: 1 });
    expect(pacer.tryTake(1101)).toEqual({ taken: true });
  });
});
