/** Longer waits than this are treated as a misconfigured header rather than obeyed. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const DELTA_SECONDS = /^-?\d+(\.\d+)?$/;

/**
 * Reads a `Retry-After` header (delta-seconds or HTTP-date) as milliseconds from `now`.
 * Returns undefined when the header is absent or unreadable; past dates and negative values give 0, and
 * values are capped at {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (DELTA_SECONDS.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // Date.parse also accepts bare numbers like "12", so only strings with a letter (a day or month name) count.
    if (!/[a-z]/i.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}
