import type { UpstreamJobState } from "../domain/upstream-job";

export interface PollTimingOptions {
  /** Base interval between polls of one task. */
  intervalMs: number;
  /** No task waits longer than this between successful polls. */
  maxIntervalMs: number;
  /** Longest wait after upstream errors, a longer Retry-After included (`POLL_MAX_BACKOFF_MS`). */
  maxBackoffMs: number;
  /** Fraction of each interval randomised so that polls of tasks submitted together drift apart. */
  jitterRatio: number;
}

/**
 * When to poll a running task next: the base interval, stretched while the upstream says much of the job
 * remains (a quarter of the estimated remaining time), never beyond the cap. A job near its end is
 * therefore polled at the base rate and noticed promptly.
 */
export function nextPollDelay(
  state: Pick<UpstreamJobState, "estimatedSeconds" | "progress">,
  elapsedMs: number,
  options: PollTimingOptions,
  random: () => number = Math.random,
): number {
  let delay = options.intervalMs;
  if (state.estimatedSeconds !== null && state.estimatedSeconds > 0) {
    const byClock = state.estimatedSeconds * 1000 - elapsedMs;
    const byProgress = state.estimatedSeconds * 1000 * (1 - Math.min(100, state.progress) / 100);
    const remainingMs = Math.min(byClock, byProgress);
    delay = Math.max(delay, remainingMs / 4);
  }
  delay = Math.min(delay, options.maxIntervalMs);
  const jitter = options.jitterRatio;
  return Math.round(delay * (1 - jitter / 2 + jitter * random()));
}

/**
 * Capped exponential backoff with full jitter after `failures` consecutive errors. The upstream's
 * Retry-After is honoured up to the cap, never beyond: one 429 asking for an hour must not park a task
 * (and its subscribers) for an hour when the operator allowed at most `maxBackoffMs`.
 */
export function backoffDelay(
  failures: number,
  retryAfterMs: number | undefined,
  options: PollTimingOptions,
  random: () => number = Math.random,
): number {
  const cap = options.maxBackoffMs;
  const ceiling = Math.min(cap, options.intervalMs * 2 ** Math.min(failures, 20));
  const jittered = Math.max(options.intervalMs / 2, random() * ceiling);
  return Math.round(Math.min(cap, Math.max(jittered, retryAfterMs ?? 0)));
}
