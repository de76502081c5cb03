import type { TaskRecord } from "./task";

type Json<T> = {
  [K in keyof T]: T[K] extends Date ? number : T[K] extends Date | null ? number | null : T[K];
};

/** A task in JSON form: every date as epoch milliseconds, so it survives a trip through a wire or a file. */
export type TaskJson = Omit<Json<TaskRecord>, "video"> & {
  video: Json<NonNullable<TaskRecord["video"]>> | null;
};

/** Encodes a task as JSON text; {@link decodeTask} gives back an equal record, dates included. */
export function encodeTask(task: TaskRecord): string {
  return JSON.stringify(toTaskJson(task));
}

export function decodeTask(text: string): TaskRecord {
  return fromTaskJson(JSON.parse(text) as TaskJson);
}

export function toTaskJson(task: TaskRecord): TaskJson {
  return {
    ...task,
    video: task.video && { ...task.video, expiresAt: time(task.video.expiresAt) },
    upstreamMissingSince: time(task.upstreamMissingSince),
    createdAt: task.createdAt.getTime(),
    updatedAt: task.updatedAt.getTime(),
    completedAt: time(task.completedAt),
  };
}

export function fromTaskJson(json: TaskJson): TaskRecord {
  return {
    ...json,
    video: json.video && { ...json.video, expiresAt: date(json.video.expiresAt) },
    upstreamMissingSince: date(json.upstreamMissingSince),
    createdAt: new Date(json.createdAt),
    updatedAt: new Date(json.updatedAt),
    completedAt: date(json.completedAt),
  };
}

const time = (value: Date | null): number | null => (value === null ? null : value.getTime());
const date = (value: number | null): Date | null => (value === null ? null : new Date(value));
