import { TaskStatus } from "../domain/task";

const STATUS_BY_PROVIDER_STATUS: ReadonlyMap<string, TaskStatus> = new Map([
  ["submitted", TaskStatus.QUEUED],
  ["pending", TaskStatus.QUEUED],
  ["queued", TaskStatus.QUEUED],
  ["processing", TaskStatus.PROCESSING],
  ["running", TaskStatus.PROCESSING],
  ["in_progress", TaskStatus.PROCESSING],
  ["completed", TaskStatus.SUCCEEDED],
  ["succeeded", TaskStatus.SUCCEEDED],
  ["success", TaskStatus.SUCCEEDED],
  ["failed", TaskStatus.FAILED],
  ["error", TaskStatus.FAILED],
  ["cancelled", TaskStatus.CANCELLED],
  ["canceled", TaskStatus.CANCELLED],
]);

/**
 * The gateway status for an upstream status string (case-insensitive), or null when the string is unknown:
 * callers then keep the task's previous status rather than guess.
 */
export function mapProviderStatus(providerStatus: string): TaskStatus | null {
  return STATUS_BY_PROVIDER_STATUS.get(providerStatus.trim().toLowerCase()) ?? null;
}
