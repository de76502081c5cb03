import DataLoader from "dataloader";
import type { TaskStore } from "../store/task-store";
import type { TaskRecord } from "./task.model";

/** One loader per request (never shared between requests, so no cross-request cache). */
export const createTaskLoader = (store: TaskStore) =>
  new DataLoader<string, TaskRecord | null>((ids) => store.getMany(ids));

export type TaskLoader = ReturnType<typeof createTaskLoader>;
