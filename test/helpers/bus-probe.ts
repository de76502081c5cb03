import { InProcessEventBus } from "../../src/events/in-process.event-bus";

export interface BusProbe {
  /** Subscribers attached to the channel right now, e.g. `owner:key:alice`. */
  count(channel: string): number;
  restore(): void;
}

/**
 * Counts the subscribers of every in-process event bus in this process, per channel, by wrapping
 * `attach` (which every subscription goes through) without changing what it does. The gateway does
 * not expose its bus; this lets a test wait until a subscription is live, and see it detach.
 */
export function probeEventBus(): BusProbe {
  const live = new Map<string, number>();
  const add = (channel: string, delta: number) =>
    live.set(channel, (live.get(channel) ?? 0) + delta);
  const attach = InProcessEventBus.prototype.attach;
  const spy = jest.spyOn(InProcessEventBus.prototype, "attach").mockImplementation(function (
    this: InProcessEventBus,
    channel,
    subscriber,
  ) {
    const detach = attach.call(this, channel, subscriber);
    add(channel, 1);
    let attached = true;
    return () => {
      if (attached) add(channel, -1);
      attached = false;
      detach();
    };
  });
  return { count: (channel) => live.get(channel) ?? 0, restore: () => spy.mockRestore() };
}
