import { z } from "zod";
import {
  envelope,
  errorBody,
  submittedTask,
  taskData,
  type TaskData,
  type WireError,
} from "./apimart.wire";
import type { UpstreamJobState } from "../domain/upstream-job";
import { UpstreamError } from "../ports/upstream-client";
import { mapProviderStatus } from "./provider-status";

/** Reads the task id from a submit answer; `data` may be an array (kling-v3) or an object (other models). */
export function parseSubmitResponse(json: unknown): { upstreamTaskId: string } {
  const data = envelope.safeParse(json).data?.data;
  const first = Array.isArray(data) ? data[0] : data;
  const task = submittedTask.safeParse(first).data;
  const upstreamTaskId = task?.task_id ?? task?.id;
  if (upstreamTaskId === undefined) {
    throw new UpstreamError("malformed", "the upstream's submit answer has no task id");
  }
  return { upstreamTaskId };
}

/**
 * Reads a status answer. Only `data.status` is required: a missing id falls back to the id we asked for,
 * and anything else unreadable is treated as absent.
 */
export function parseTaskResponse(json: unknown, requestedId: string): UpstreamJobState {
  const parsed = z.object({ data: taskData }).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamError(
      "malformed",
      `the upstream's task answer is unusable (${issue.path.join(".")}: ${issue.message})`,
    );
  }
  return toTaskState(parsed.data.data, requestedId);
}

/**
 * The HTTP status a 2xx answer reports as its own failure (`{"code":402,"error":{…}}`), with the error,
 * or undefined when the envelope does not report one.
 */
export function parseEnvelopeFailure(
  json: unknown,
): { httpStatus: number; error: WireError | undefined } | undefined {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, error } = parsed.data;
  const httpStatus = [code, Number(error?.code)].find(isErrorStatus);
  return httpStatus === undefined ? undefined : { httpStatus, error };
}

/** The error in a non-2xx answer's body, or undefined when the body is not the JSON we expect. */
export function parseErrorBody(body: string): WireError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = errorBody.safeParse(json).data;
  if (parsed?.error) return parsed.error;
  return parsed?.message
    ? { code: undefined, message: parsed.message, type: undefined }
    : undefined;
}

function toTaskState(data: TaskData, requestedId: string): UpstreamJobState {
  const video = data.result?.videos?.find((candidate) => candidate?.url);
  return {
    upstreamTaskId: data.id ?? data.task_id ?? requestedId,
    status: mapProviderStatus(data.status),
    providerStatus: data.status,
    progress: Math.min(100, Math.max(0, Math.round(data.progress ?? 0))),
    estimatedSeconds: data.estimated_time ?? null,
    createdAt: data.created ?? null,
    completedAt: data.completed ?? null,
    video: video?.url
      ? {
          url: video.url,
          thumbnailUrl: data.result?.thumbnail_url ?? video.thumbnail_url ?? null,
          expiresAt: video.expires_at ?? null,
        }
      : null,
    error: data.error
      ? {
          code: data.error.code ?? "unknown",
          message: data.error.message ?? "",
          type: data.error.type ?? null,
        }
      : null,
  };
}

function isErrorStatus(code: number | undefined): code is number {
  return code !== undefined && Number.isInteger(code) && code >= 400 && code <= 599;
}
