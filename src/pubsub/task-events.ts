import { setMaxListeners } from "node:events";
import { createPubSub } from "@graphql-yoga/subscription";
import type { TaskRecord } from "../tasks/task.model";

/** One topic per task id; each event carries the stored snapshot after a change. */
export type TaskPubSubChannels = { taskUpdated: [taskId: string, payload: TaskRecord] };

const topicOf = (taskId: string) => `taskUpdated:${taskId}`;

/**
 * Task change events over an `EventTarget` (in-process today; a Redis event target has the same shape).
 * `listen` attaches synchronously, which lets a subscriber register before it reads the snapshot.
 */
export class TaskEvents {
  /** The same channel as a graphql-yoga pub/sub, handed to type-graphql's `buildSchema`. */
  readonly pubSub;

  constructor(private readonly target: EventTarget = new EventTarget()) {
    // Thousands of subscribers may watch one task; Node's default warning at 11 listeners is noise.
    setMaxListeners(0, target);
    this.pubSub = createPubSub<TaskPubSubChannels>({ eventTarget: target });
  }

  publish(task: TaskRecord): void {
    this.pubSub.publish("taskUpdated", task.id, task);
  }

  /** Calls `listener` with every published snapshot of the task; returns the function that detaches it. */
  listen(taskId: string, listener: (task: TaskRecord) => void): () => void {
    const handler = (event: Event) => listener((event as CustomEvent<TaskRecord>).detail);
    this.target.addEventListener(topicOf(taskId), handler);
    return () => this.target.removeEventListener(topicOf(taskId), handler);
  }
}
