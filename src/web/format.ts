import type { TaskFieldsFragment } from "./generated/graphql";

/** Words for the schema's enum values; a value this page does not know yet is shown as it is. */
const ASPECT_RATIOS: Record<string, string> = {
  LANDSCAPE_16_9: "16:9 landscape",
  PORTRAIT_9_16: "9:16 portrait",
  SQUARE_1_1: "1:1 square",
};

export function aspectRatioLabel(value: string): string {
  return ASPECT_RATIOS[value] ?? value;
}

export function isActive(task: Pick<TaskFieldsFragment, "status">): boolean {
  return task.status === "QUEUED" || task.status === "PROCESSING";
}

/** `about 12 s left`, `about 2 min left`. */
export function formatEta(seconds: number): string {
  if (seconds <= 0) return "finishing…";
  if (seconds < 90) return `about ${Math.ceil(seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** `10 s · STD · 16:9 landscape · 14:02` */
export function describeRequest(task: TaskFieldsFragment): string {
  const { request } = task;
  const parts = [`${request.durationSeconds} s`, request.mode];
  if (request.aspectRatio) parts.push(aspectRatioLabel(request.aspectRatio));
  if (request.kind === "IMAGE_TO_VIDEO") parts.push("from an image");
  parts.push(
    new Date(task.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
  );
  return parts.join(" · ");
}
