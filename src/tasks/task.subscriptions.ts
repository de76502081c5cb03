import { Repeater } from "@repeaterjs/repeater";
import type { Principal } from "../domain/principal";
import { ACTIVE_STATUSES, isTerminal, type TaskRecord, type TaskStatus } from "../domain/task";
import { NotFoundError } from "../errors/gateway-errors";
import type { TaskEventBus } from "../ports/task-event-bus";
import type { TaskStore } from "../ports/task-store";
import { DeliveredVersions } from "./delivered-versions";

export interface TaskSubscriptionsOptions {
  /**
   * Tasks whose last delivered version one owner stream remembers, to drop repeated versions.
   * @default 1000
   */
  maxTrackedTasks?: number;
  /**
   * How many of the owner's newest tasks, and of their active tasks, a resync of an owner stream
   * re-reads.
   * @default 100
   */
  resyncPageSize?: number;
}

/**
 * A resync delivers tasks changed since the stream began; `updatedAt` comes from whichever instance
 * stored the change, so allow for clocks that disagree. A task delivered needlessly is harmless:
 * clients drop versions they have seen.
 */
const CLOCK_MARGIN_MS = 5_000;

/**
 * Live task streams. One task's stream: the current snapshot first, then each stored change in
 * increasing version, ending after a terminal status. The subscription is live before the snapshot is
 * read, and versions already delivered are dropped, so a change landing in between is neither lost nor
 * repeated. When the bus may have lost events (it reconnected), the store is read again.
 */
export class TaskSubscriptions {
  private readonly maxTrackedTasks: number;
  private readonly resyncPageSize: number;

  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEventBus,
    options: TaskSubscriptionsOptions = {},
  ) {
    this.maxTrackedTasks = options.maxTrackedTasks ?? 1000;
    this.resyncPageSize = options.resyncPageSize ?? 100;
  }

  /** Throws NOT_FOUND (before any event) for an unknown task or another principal's task. */
  async watch(principal: Principal, taskId: string): Promise<AsyncIterableIterator<TaskRecord>> {
    const pending: TaskRecord[] = [];
    const doorbell = new Doorbell();
    const enqueue = (task: TaskRecord) => {
      pending.push(task);
      doorbell.ring();
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
        if (!(await doorbell.wait(stop))) return;
      }
    });
    return detachOnReturn(stream, detach);
  }

  /**
   * Every stored change to any of the principal's tasks; with `statuses` (non-empty), only changes
   * to one of those statuses. No snapshot first (a list screen reads `tasks`, then subscribes), and
   * no end: it runs until the client leaves. Each task's versions arrive in increasing order, at most
   * once; while the client is slow, only the newest pending version of each task is kept.
   */
  async watchOwner(
    principal: Principal,
    statuses?: readonly TaskStatus[] | null,
  ): Promise<AsyncIterableIterator<TaskRecord>> {
    const ownerId = principal.id;
    const wanted = statuses && statuses.length > 0 ? new Set(statuses) : null;
    const delivered = new DeliveredVersions(this.maxTrackedTasks);
    const changedSince = Date.now() - CLOCK_MARGIN_MS;
    const pending = new Map<string, TaskRecord>();
    const doorbell = new Doorbell();
    const enqueue = (task: TaskRecord) => {
      if (task.ownerId !== ownerId) return;
      const queued = pending.get(task.id);
      if (queued && queued.version >= task.version) return;
      pending.set(task.id, task);
      doorbell.ring();
    };
    // Events may have been lost: deliver what changed since the stream began and is not delivered.
    const reread = () => {
      this.recentTasks(ownerId, delivered.unfinished()).then(
        (tasks) =>
          tasks
            .filter((task) => delivered.has(task.id) || task.updatedAt.getTime() >= changedSince)
            .forEach(enqueue),
        () => undefined, // the next event or resync brings the state
      );
    };
    const detach = await this.events.subscribe({ ownerId }, { next: enqueue, resync: reread });
    const stream = new Repeater<TaskRecord>(async (push, stop) => {
      stop.then(detach);
      for (;;) {
        for (let task = takeFirst(pending); task; task = takeFirst(pending)) {
          if (delivered.admit(task) && (!wanted || wanted.has(task.status))) await push(task);
        }
        if (!(await doorbell.wait(stop))) return;
      }
    });
    return detachOnReturn(stream, detach);
  }

  /** The owner's active tasks, newest tasks and the given ones, each once, oldest change first. */
  private async recentTasks(ownerId: string, ids: string[]): Promise<TaskRecord[]> {
    const first = this.resyncPageSize;
    const [active, newest, known] = await Promise.all([
      this.store.listByOwner(ownerId, { first, statuses: ACTIVE_STATUSES }),
      this.store.listByOwner(ownerId, { first }),
      ids.length > 0 ? this.store.getMany(ids) : [],
    ]);
    const byId = new Map<string, TaskRecord>();
    for (const task of [...active.tasks, ...newest.tasks, ...known]) {
      if (task) byId.set(task.id, task);
    }
    return [...byId.values()].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  }
}

/** Wakes a stream's loop when something is queued for it. */
class Doorbell {
  private ringer: (() => void) | null = null;

  ring(): void {
    this.ringer?.();
  }

  /** Resolves true when rung, false when the stream stops first. */
  async wait(stop: Promise<unknown>): Promise<boolean> {
    const rung = new Promise<true>((resolve) => (this.ringer = () => resolve(true)));
    const woken = await Promise.race([rung, stop.then(() => false)]);
    this.ringer = null;
    return woken;
  }
}

function takeFirst<T>(queue: Map<string, T>): T | undefined {
  const first = queue.entries().next();
  if (first.done) return undefined;
  queue.delete(first.value[0]);
  return first.value[1];
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
