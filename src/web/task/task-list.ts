/** The fields of a task that ordering and de-duplication need. */
export interface Versioned {
  id: string;
  version: number;
  createdAt: string;
}

/**
 * The caller's recent tasks, newest first, from a `tasks` page and the events after it. An event
 * whose version the list already has (or has passed) is dropped, as the schema asks of clients.
 */
export class TaskList<T extends Versioned> {
  private readonly byId = new Map<string, T>();

  constructor(private readonly limit: number) {}

  /** Takes a newer snapshot of a task; returns false when it was not newer. */
  upsert(task: T): boolean {
    const known = this.byId.get(task.id);
    if (known && known.version >= task.version) return false;
    this.byId.set(task.id, task);
    return true;
  }

  /** Replaces the list with a fresh page, keeping any snapshot newer than the page's. */
  reset(page: T[]): void {
    const previous = new Map(this.byId);
    this.byId.clear();
    for (const task of page) {
      const known = previous.get(task.id);
      this.byId.set(task.id, known && known.version > task.version ? known : task);
    }
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Newest first (ids break ties), at most `limit`. */
  items(): T[] {
    return [...this.byId.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .slice(0, this.limit);
  }
}
