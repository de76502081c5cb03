import { print } from "graphql";
import {
  GenerateVideoFromImageDocument,
  GenerateVideoFromTextDocument,
  NodeDocument,
  TaskDocument,
  TasksDocument,
  TasksUpdatedDocument,
  TaskUpdatedDocument,
  VideoModelsDocument,
  type TaskFieldsFragment,
} from "../generated/graphql";

/** The canonical client operations of schema/operations/*.graphql, as sent over the wire. */
export const GENERATE_FROM_TEXT = print(GenerateVideoFromTextDocument);
export const GENERATE_FROM_IMAGE = print(GenerateVideoFromImageDocument);
export const TASK = print(TaskDocument);
export const TASKS = print(TasksDocument);
export const TASK_UPDATED = print(TaskUpdatedDocument);
export const TASKS_UPDATED = print(TasksUpdatedDocument);
export const NODE = print(NodeDocument);
export const VIDEO_MODELS = print(VideoModelsDocument);

export type TaskView = TaskFieldsFragment;
