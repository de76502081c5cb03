/** The field extension that says how a subscription's stream may be shared between watchers. */
export const SHARED_STREAM = "sharedStream";

/**
 * How watchers that sent the same document, with the same variables, as the same principal may
 * share one stream (one execution per event):
 *
 * - `"latest"`: every event is the whole current state and the first is the current snapshot, so a
 *   watcher joining a running stream may start from its latest event.
 *
 * A field without the extension is never shared (its stream is each watcher's own, e.g. one that
 * coalesces events for a slow client).
 */
export type SharedStream = "latest";
