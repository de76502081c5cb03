import { Repeater } from "@repeaterjs/repeater";
import type { Principal } from "../auth/principal";
import { NotFoundError } from "../errors";
import type { TaskEvents } from "../pubsub/task-events";
import type { TaskStore } from "../store/task-store";
import { isTerminal, type TaskRecord } from "./task.model";

/**
 * Live task streams: the current snapshot first, then each stored change in increasing version, ending
 * after a terminal status. The listener is attached before the snapshot is read, and versions already
 * delivered are dropped, so a change landing in between is neither lost nor repeated.
 */
export class TaskSubscriptions {
  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEvents,
  ) {}

  /** Throws NOT_FOUND (before any event) for an unknown task or another principal's task. */
  async watch(principal: Principal, taskId: string): Promise<AsyncIterableIterator<TaskRecord>> {
    const pending: TaskRecord[] = [];
    let wake: (() => void) | null = null;
    const detach = this.events.listen(taskId, (task) => {
      pending.push(task);
      wake?.();
    });
    let snapshot: TaskRecord | null;
    try {
      snapshot = await this.store.get(taskId);
    } catch (error) {
      detach();
      throw error;
    }
    if (!snapshot || snapshot.ownerId !== principal.id) {
      detach();
      throw new NotFoundError(`Task "${taskId}"`);
    }
    const first = snapshot;
    const stream = new Repeater<TaskRecord>(async (push, stop) => {
      stop.then(detach);
      let lastVersion = 0;
      const deliver = async (task: TaskRecord): Promise<boolean> => {
        if (task.version <= lastVersion) return false;
        lastVersion = task.version;
        await push(task);
        return isTerminal(task.status);
      };
      if (await deliver(first)) return stop();
      for (;;) {
        for (let task = pending.shift(); task; task = pending.shift()) {
          if (await deliver(task)) return stop();
        }
        const woken = new Promise<"event">((resolve) => (wake = () => resolve("event")));
        const why = await Promise.race([woken, stop.then(() => "stopped" as const)]);
        wake = null;
        if (why === "stopped") return;
      }
    });
    return detachOnReturn(stream, detach);
  }
}

/**
 * A Repeater runs its executor on the first `next()`; a client may unsubscribe before that (graphql-ws
 * does when `complete` arrives while the operation is being set up). `return()` must detach then too.
 */
function detachOnReturn<T>(stream: Repeater<T>, detach: () => void): AsyncIterableIterator<T> {
  return {
    next: () => stream.next(),
    return: (value?: unknown) => {
      detach();
      return stream.return(value as T);
    },
    throw: (error?: unknown) => {
      detach();
      return stream.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
