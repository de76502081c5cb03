import { QuotaExceededError } from "../errors";
import type { TaskStore } from "../store/task-store";

/**
 * At most `max` unfinished tasks per principal. A submit reserves a slot before it reaches the upstream
 * and releases it once its task is stored (or it failed), so concurrent submits cannot slip past: the
 * check runs under a per-principal lock and counts both stored tasks and reservations in flight.
 */
export class ActiveTaskQuota {
  private readonly reserved = new Map<string, number>();
  private readonly locks = new Map<string, Promise<void>>();

  /** @param max 0 turns the quota off */
  constructor(
    private readonly store: Pick<TaskStore, "countActiveByOwner">,
    private readonly max: number,
  ) {}

  /** Resolves with the function that releases the slot; throws QUOTA_EXCEEDED when none is free. */
  async reserve(ownerId: string): Promise<() => void> {
    if (this.max === 0) return () => undefined;
    const previous = this.locks.get(ownerId) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    this.locks.set(ownerId, mine);
    await previous;
    try {
      // Reservations are read before the count: a task stored and released in between is then
      // counted twice (refusing early) rather than not at all.
      const reserved = this.reserved.get(ownerId) ?? 0;
      const active = await this.store.countActiveByOwner(ownerId);
      if (active + reserved >= this.max) {
        throw new QuotaExceededError(
          `At most ${this.max} unfinished tasks per client; wait for one to finish.`,
        );
      }
      this.reserved.set(ownerId, (this.reserved.get(ownerId) ?? 0) + 1);
    } finally {
      unlock();
      if (this.locks.get(ownerId) === mine) this.locks.delete(ownerId);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.reserved.get(ownerId) ?? 1) - 1;
      if (left > 0) this.reserved.set(ownerId, left);
      else this.reserved.delete(ownerId);
    };
  }
}
