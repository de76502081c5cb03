import { isTerminal, type TaskRecord } from "./task";

/**
 * Seconds until the task is expected to finish: the upstream's whole-job estimate minus the time
 * elapsed; once that estimate is overrun, extrapolated from progress. 0 when finished, null when unknown.
 */
export function estimateSecondsRemaining(task: TaskRecord, now: number): number | null {
  if (isTerminal(task.status)) return 0;
  if (task.estimatedTotalSeconds === null) return null;
  const elapsed = Math.max(0, (now - task.createdAt.getTime()) / 1000);
  const byEstimate = task.estimatedTotalSeconds - elapsed;
  if (byEstimate > 0) return Math.ceil(byEstimate);
  if (task.progress > 0 && task.progress < 100) {
    return Math.ceil((elapsed * (100 - task.progress)) / task.progress);
  }
  return null;
}
