import type { TaskRecord } from "../domain/task";
import type { TaskEventBus, TaskEventSubscriber, TaskTopic } from "../ports/task-event-bus";

/** The channel name of a topic, shared by every adapter so their topics line up. */
export const channelOf = (topic: TaskTopic): string =>
  "taskId" in topic ? `task:${topic.taskId}` : `owner:${topic.ownerId}`;

/**
 * Task events within one process: a set of subscribers per channel. Subscribing is live at once, and
 * nothing is ever lost in transit, so subscribers never need to resync.
 */
export class InProcessEventBus implements TaskEventBus {
  private readonly channels = new Map<string, Set<TaskEventSubscriber>>();

  async publish(task: TaskRecord): Promise<void> {
    this.deliver(channelOf({ taskId: task.id }), task);
    this.deliver(channelOf({ ownerId: task.ownerId }), task);
  }

  async subscribe(topic: TaskTopic, subscriber: TaskEventSubscriber): Promise<() => void> {
    return this.attach(channelOf(topic), subscriber);
  }

  async close(): Promise<void> {
    this.channels.clear();
  }

  /** Delivers `task` to the channel's subscribers; adapters that relay other instances use it too. */
  deliver(channel: string, task: TaskRecord): void {
    const subscribers = this.channels.get(channel);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) subscriber.next(task);
  }

  /** Every subscriber, for adapters that must tell them all to resync. */
  *subscribers(): Iterable<TaskEventSubscriber> {
    for (const set of this.channels.values()) yield* set;
  }

  /** Adds a subscriber synchronously; returns the idempotent function that removes it. */
  attach(channel: string, subscriber: TaskEventSubscriber): () => void {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(subscriber);
    return () => {
      const current = this.channels.get(channel);
      if (!current?.delete(subscriber)) return;
      if (current.size === 0) this.channels.delete(channel);
    };
  }

  /** How many subscribers one topic has in this process (tests wait on it for a stream to go live). */
  subscriberCount(topic: TaskTopic): number {
    return this.channels.get(channelOf(topic))?.size ?? 0;
  }

  /** How many channels have subscribers (for tests and metrics). */
  get channelCount(): number {
    return this.channels.size;
  }
}
