import type { LiveConnection } from "../api/graphql.ws";
import { TaskUpdatedDocument, type TaskFieldsFragment } from "../generated/graphql";
import type { CurrentTaskView } from "./current-task.view";

/**
 * Follows one task through `taskUpdated` (the current snapshot first, then each change, completing
 * after a terminal status) and shows it; watching another task ends the previous subscription.
 */
export class TaskWatcher {
  private stop: (() => void) | null = null;
  private version = -1;

  constructor(
    private readonly live: LiveConnection,
    private readonly view: CurrentTaskView,
    /** Every newer snapshot, for the rest of the page (the recent list). */
    private readonly onSnapshot: (task: TaskFieldsFragment) => void,
  ) {}

  /** Shows `known` at once if given; the subscription's first event is the current snapshot anyway. */
  watch(id: string, known?: TaskFieldsFragment): void {
    this.stop?.();
    this.version = -1;
    if (known) this.apply(known);
    this.stop = this.live.subscribe(
      TaskUpdatedDocument,
      { id },
      {
        next: ({ taskUpdated }) => this.apply(taskUpdated),
        error: (errors) => this.view.showProblem(errors.map((error) => error.message).join(" ")),
      },
    );
  }

  private apply(task: TaskFieldsFragment): void {
    if (task.version <= this.version) return; // already shown: events may repeat a snapshot
    this.version = task.version;
    this.view.show(task);
    this.onSnapshot(task);
  }
}
