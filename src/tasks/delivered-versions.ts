import { isTerminal, type TaskRecord } from "../domain/task";

/**
 * The newest version seen of each task, for at most `capacity` tasks: the least recently changed is
 * forgotten first. A forgotten task's repeated version would pass again, so keep the capacity well
 * above the number of tasks that change at once (the active-task quota).
 */
export class DeliveredVersions {
  private readonly seen = new Map<string, { version: number; terminal: boolean }>();

  constructor(private readonly capacity: number) {}

  /** Records the task's version and says whether it is newer than every version seen before. */
  admit(task: TaskRecord): boolean {
    const previous = this.seen.get(task.id);
    if (previous && previous.version >= task.version) return false;
    this.seen.delete(task.id); // re-inserted last: a Map iterates in insertion order
    this.seen.set(task.id, { version: task.version, terminal: isTerminal(task.status) });
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  has(taskId: string): boolean {
    return this.seen.has(taskId);
  }

  /** Ids of the tasks last seen in an active status: the ones that may have changed since. */
  unfinished(): string[] {
    return [...this.seen].filter(([, entry]) => !entry.terminal).map(([id]) => id);
  }

  get size(): number {
    return this.seen.size;
  }
}
