import type { TaskStatus, TaskVideo } from "./task";

/** What one look at the upstream says of a job, in the gateway's terms. */
export interface UpstreamJobState {
  upstreamTaskId: string;
  /** The upstream status mapped to ours, or null when the upstream sent a status we do not know. */
  status: TaskStatus | null;
  /** The upstream's status string as sent (`pending`, `processing`, `completed`, ... or unknown). */
  providerStatus: string;
  progress: number;
  /** Seconds the whole job is expected to take (`estimated_time`), if present. */
  estimatedSeconds: number | null;
  createdAt: Date | null;
  completedAt: Date | null;
  video: TaskVideo | null;
  error: { code: string; message: string; type: string | null } | null;
}
