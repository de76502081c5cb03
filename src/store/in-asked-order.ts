import type { TaskRecord } from "../domain/task";

/** `TaskStore.getMany`'s answer from rows in any order: one per id asked, in that order, null where none. */
export function inAskedOrder(
  ids: readonly string[],
  found: readonly TaskRecord[],
): Array<TaskRecord | null> {
  const byId = new Map(found.map((task) => [task.id, task]));
  return ids.map((id) => byId.get(id) ?? null);
}
