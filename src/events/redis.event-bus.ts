import type { Redis } from "ioredis";
import type { TaskRecord } from "../domain/task";
import { fromTaskJson, toTaskJson, type TaskJson } from "../domain/task-codec";
import type { Logger } from "../observability/logger";
import type { TaskEventBus, TaskEventSubscriber, TaskTopic } from "../ports/task-event-bus";
import { channelOf, InProcessEventBus } from "./in-process.event-bus";

export interface RedisEventBusOptions {
  /** Prepended to every Redis channel, so gateways sharing a Redis can keep apart. */
  channelPrefix: string;
  /** This instance's id: its own messages, already delivered here, are not delivered twice. */
  instanceId: string;
}

/** What travels on a channel: the stored snapshot and the instance that published it. */
interface Envelope {
  from: string;
  task: TaskJson;
}

/**
 * Task events across instances on Redis pub/sub. Each instance holds one Redis subscription per
 * channel that has local subscribers (not one per subscriber) and fans messages out through an
 * in-process bus; its own changes are delivered locally at once, without the round trip.
 *
 * Redis pub/sub drops what is published while a subscriber is disconnected, so after every
 * reconnection the channels are subscribed again and, once Redis confirms it, every local
 * subscriber is told to `resync()` (re-read its snapshot; versions drop what it already had).
 *
 * ioredis is used directly rather than `@graphql-yoga/redis-event-target`: that event target's
 * `addEventListener` is typed `void` and returns the SUBSCRIBE's promise only to a channel's first
 * listener (a second one, added while it is in flight, is not live yet when it returns), its
 * `dispatchEvent` drops the PUBLISH's outcome, and it has no hook for a reconnection.
 *
 * Two connections: `publisher` (any client) and `subscriber` (taken over: subscriber mode).
 */
export class RedisEventBus implements TaskEventBus {
  private readonly local = new InProcessEventBus();
  /** Channels with local subscribers: how many, and the SUBSCRIBE that makes them live. */
  private readonly channels = new Map<string, { count: number; live: Promise<void> }>();
  private disconnected: boolean;
  private closed = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    private readonly options: RedisEventBusOptions,
  ) {
    this.disconnected = subscriber.status !== "ready";
    subscriber.on("message", this.onMessage);
    subscriber.on("close", () => (this.disconnected = true));
    subscriber.on("ready", () => {
      if (!this.disconnected || this.closed) return;
      this.disconnected = false;
      void this.resubscribe();
    });
  }

  async publish(task: TaskRecord): Promise<void> {
    await this.local.publish(task);
    const message = JSON.stringify({ from: this.options.instanceId, task: toTaskJson(task) });
    await Promise.all([
      this.publisher.publish(this.redisChannel(channelOf({ taskId: task.id })), message),
      this.publisher.publish(this.redisChannel(channelOf({ ownerId: task.ownerId })), message),
    ]);
  }

  /**
   * Resolves once Redis has confirmed the SUBSCRIBE. While Redis is unreachable it resolves at once
   * (the stream gets its snapshot and this instance's own changes), and the subscriber gets a
   * `resync()` once the subscription is live again, so nothing published meanwhile is lost for good.
   */
  async subscribe(topic: TaskTopic, subscriber: TaskEventSubscriber): Promise<() => void> {
    const channel = channelOf(topic);
    const detachLocal = this.local.attach(channel, subscriber);
    let entry = this.channels.get(channel);
    if (entry) {
      entry.count += 1;
    } else {
      entry = { count: 1, live: this.subscribeRedis(channel) };
      this.channels.set(channel, entry);
    }
    let attached = true;
    const detach = () => {
      if (!attached) return;
      attached = false;
      detachLocal();
      this.release(channel);
    };
    await entry.live;
    return detach;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.off("message", this.onMessage);
    this.channels.clear();
    await this.local.close();
  }

  /** How many channels this instance holds a Redis subscription for (for tests and metrics). */
  get channelCount(): number {
    return this.channels.size;
  }

  private release(channel: string): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.channels.delete(channel);
    // Commands on one connection run in order: a SUBSCRIBE issued after this still wins.
    if (this.subscriber.status === "ready") {
      this.subscriber.unsubscribe(this.redisChannel(channel)).catch(() => undefined);
    }
  }

  /** SUBSCRIBE now if connected; otherwise the reconnection subscribes it (and resyncs). */
  private async subscribeRedis(channel: string): Promise<void> {
    if (this.subscriber.status !== "ready") return;
    try {
      await this.subscriber.subscribe(this.redisChannel(channel));
    } catch (error) {
      this.logger.warn({ err: error, channel }, "subscribing to task events failed; will resync");
    }
  }

  /** After a reconnection: every channel again, confirmed, then every subscriber re-reads. */
  private async resubscribe(): Promise<void> {
    const channels = [...this.channels.keys()].map((channel) => this.redisChannel(channel));
    try {
      if (channels.length > 0) await this.subscriber.subscribe(...channels);
    } catch (error) {
      this.logger.warn({ err: error }, "resubscribing to task events failed; waiting to reconnect");
      return; // the next "ready" tries again
    }
    this.logger.info({ channels: channels.length }, "task events reconnected; subscribers resync");
    for (const subscriber of this.local.subscribers()) subscriber.resync?.();
  }

  private readonly onMessage = (redisChannel: string, message: string): void => {
    if (!redisChannel.startsWith(this.options.channelPrefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      this.logger.warn({ err: error, channel: redisChannel }, "unreadable task event dropped");
      return;
    }
    if (envelope.from === this.options.instanceId) return; // delivered here when published
    const channel = redisChannel.slice(this.options.channelPrefix.length);
    this.local.deliver(channel, fromTaskJson(envelope.task));
  };

  private redisChannel(channel: string): string {
    return this.options.channelPrefix + channel;
  }
}
