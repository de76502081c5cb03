import type { Logger } from "../observability/logger";

/** One step of stopping: what it stops (for the log), and how. */
export type StopStep = readonly [what: string, stop: () => unknown];

/**
 * Runs every step in order even when one fails, so a failing step never leaves the later ones
 * running (a store closed under a running scheduler, a connection left open). Each failure is
 * logged; the first is thrown once every step has run.
 */
export async function stopInOrder(steps: readonly StopStep[], logger: Logger): Promise<void> {
  const failures: unknown[] = [];
  for (const [what, stop] of steps) {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error, stopping: what }, "a stop step failed; the others still run");
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
