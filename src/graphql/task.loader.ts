import DataLoader from "dataloader";
import type { TaskRecord } from "../domain/task";
import type { TaskStore } from "../ports/task-store";
import type { TaskLoader } from "../tasks/task.service";

/** One loader per request (never shared between requests, so no cross-request cache). */
export const createTaskLoader = (store: Pick<TaskStore, "getMany">): TaskLoader =>
  new DataLoader<string, TaskRecord | null>((ids) => store.getMany(ids));
