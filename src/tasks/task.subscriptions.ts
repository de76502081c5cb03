import { Repeater } from "@repeaterjs/repeater";
import type { Principal } from "../domain/principal";
import { isTerminal, type TaskRecord } from "../domain/task";
import { NotFoundError } from "../errors/gateway-errors";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { TaskStore } from "../ports/task-store";

/**
 * Live task streams: the current snapshot first, then each stored change in increasing version, ending
 * after a terminal status. The subscription is live before the snapshot is read, and versions already
 * delivered are dropped, so a change landing in between is neither lost nor repeated. When the bus
 * may have lost events (it reconnected), the snapshot is read again.
 */
export class TaskSubscriptions {
  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEventBus,
  ) {}

  /** Throws NOT_FOUND (before any event) for an unknown task or another principal's task. */
  async watch(principal: Principal, taskId: string): Promise<AsyncIterableIterator<TaskRecord>> {
    const pending: TaskRecord[] = [];
    let wake: (() => void) | null = null;
    const enqueue = (task: TaskRecord) => {
      pending.push(task);
      wake?.();
    };
    const reread = () => {
      this.store.get(taskId).then(
        (task) => task && enqueue(task),
        () => undefined, // the next event or resync brings the state
      );
    };
    const detach = await this.events.subscribe({ taskId }, { next: enqueue, resync: reread });
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
