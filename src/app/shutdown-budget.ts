/**
 * The one budget of a graceful stop, in the order its phases run. They add up to less than `totalMs`,
 * after which the process exits whatever is left; the rest is for closing the store and the simulator.
 */
export interface ShutdownBudget {
  /** Hard limit: `main` exits after this even if a phase hangs. */
  totalMs: number;
  /** WebSocket clients get a 1001 close, then are cut after this. */
  webSocketsMs: number;
  /** HTTP requests in progress may finish within this; then their sockets are cut. */
  httpDrainMs: number;
  /** Submits still running (e.g. over a closed WebSocket) may finish within this. */
  submitsMs: number;
  /** Polls in flight may store their results within this. */
  pollsMs: number;
}

/** Splits a total stop time into its phases; most of it goes to requests that are still running. */
export function shutdownBudget(totalMs: number): ShutdownBudget {
  return {
    totalMs,
    webSocketsMs: Math.round(totalMs * 0.1),
    httpDrainMs: Math.round(totalMs * 0.3),
    submitsMs: Math.round(totalMs * 0.15),
    pollsMs: Math.round(totalMs * 0.2),
  };
}
