import { TaskErrorCode } from "./error-codes";
import { isTerminal, TaskStatus, type TaskChange, type TaskRecord } from "./task";
import type { UpstreamJobState } from "./upstream-job";
import { storableText } from "./text-hygiene";
import { resultUrlProblems } from "./upstream-result";

const FAILURE_FALLBACK = "The video could not be generated.";
const INVALID_RESULT = "The video service returned a result that cannot be delivered safely.";

/**
 * What a fresh upstream answer changes in the stored task, or null when nothing the client can see
 * changed. An unknown provider status keeps the previous status (and is recorded as sent); a
 * `completed` without a video is not taken as success, so the task keeps being polled. A `completed`
 * whose result URLs are unusable ends FAILED with `INVALID_UPSTREAM_RESULT`: this function is the one
 * way an upstream answer becomes a stored change, whichever adapter read it, so the rule lives here;
 * and so does cleaning the upstream's own strings (its status, its failure message) into text that
 * every store can keep.
 */
export function taskChangeFrom(
  task: TaskRecord,
  state: UpstreamJobState,
  now: Date,
): TaskChange | null {
  let status = state.status ?? task.status;
  if (status === TaskStatus.SUCCEEDED && state.video === null) status = TaskStatus.PROCESSING;
  const unusable = status === TaskStatus.SUCCEEDED && resultUrlProblems(state.video!).length > 0;
  if (unusable) status = TaskStatus.FAILED;
  const next: TaskChange = {
    status,
    providerStatus: storableText(state.providerStatus),
    progress: status === TaskStatus.SUCCEEDED ? 100 : clampProgress(state.progress),
    estimatedTotalSeconds: state.estimatedSeconds ?? task.estimatedTotalSeconds,
    video: status === TaskStatus.SUCCEEDED ? state.video : null,
    error: status === TaskStatus.FAILED ? failure(state, unusable) : null,
    completedAt: isTerminal(status) ? (state.completedAt ?? now) : null,
  };
  return differs(task, next) ? next : null;
}

function failure(state: UpstreamJobState, unusableResult: boolean): TaskChange["error"] {
  if (unusableResult)
    return { code: TaskErrorCode.INVALID_UPSTREAM_RESULT, message: INVALID_RESULT };
  return {
    code: TaskErrorCode.GENERATION_FAILED,
    message: clip(storableText(state.error?.message ?? "").trim() || FAILURE_FALLBACK),
  };
}

/** The change that ends a task that ran past its deadline. */
export function timedOutChange(deadlineMs: number, now: Date): TaskChange {
  const within =
    deadlineMs < 60_000
      ? `${Math.round(deadlineMs / 1000)} seconds`
      : `${Math.round(deadlineMs / 60_000)} minutes`;
  return {
    status: TaskStatus.FAILED,
    error: {
      code: TaskErrorCode.TIMED_OUT,
      message: `The video was not ready within ${within} and was abandoned.`,
    },
    completedAt: now,
  };
}

/** The change that ends a task the upstream has denied knowing for `lostAfterMs`. */
export function upstreamLostChange(now: Date): TaskChange {
  return {
    status: TaskStatus.FAILED,
    error: {
      code: TaskErrorCode.UPSTREAM_TASK_LOST,
      message: "The video service no longer knows this request; it was abandoned.",
    },
    completedAt: now,
  };
}

/** The change that ends a task whose unconfirmed submit the upstream refused when reconciled. */
export function submitFailedChange(message: string, now: Date): TaskChange {
  return {
    status: TaskStatus.FAILED,
    error: { code: TaskErrorCode.SUBMIT_FAILED, message },
    completedAt: now,
  };
}

const clampProgress = (value: number) =>
  Number.isFinite(value) ? Math.max(0, Math.min(100, Math.round(value))) : 0;

/** At most 500 characters, cut between code points so that no surrogate pair is split. */
const clip = (text: string) => {
  const chars = [...text];
  return chars.length > 500 ? `${chars.slice(0, 500).join("")}…` : text;
};

function differs(task: TaskRecord, next: TaskChange): boolean {
  return (
    task.status !== next.status ||
    task.providerStatus !== next.providerStatus ||
    task.progress !== next.progress ||
    task.estimatedTotalSeconds !== next.estimatedTotalSeconds ||
    JSON.stringify(task.video) !== JSON.stringify(next.video) ||
    JSON.stringify(task.error) !== JSON.stringify(next.error)
  );
}
