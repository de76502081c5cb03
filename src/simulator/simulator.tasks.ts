import { randomBytes } from "node:crypto";

/** The prompt marker that makes a task fail, whatever the failure rate. */
export const FAIL_MARKER = "[sim:fail]";

export interface TaskFailure {
  code: number;
  message: string;
  type: string;
}

const CONTENT_POLICY_FAILURE: TaskFailure = {
  code: 500,
  message: "The prompt was flagged by the content safety policy. Please revise it and try again.",
  type: "content_policy_violation",
};

const INTERNAL_FAILURE: TaskFailure = {
  code: 500,
  message: "Video generation failed due to an internal error. Please try again.",
  type: "server_error",
};

/** `data` of a `GET /v1/tasks/{id}` answer. Fields that do not apply yet are absent, never null. */
export interface TaskData {
  id: string;
  status: "pending" | "processing" | "completed" | "failed";
  progress: number;
  created: number;
  estimated_time: number;
  result?: { videos: { url: string[]; expires_at: number }[]; thumbnail_url: string };
  completed?: number;
  actual_time?: number;
  error?: TaskFailure;
}

export interface TaskTimings {
  queuedMs: number;
  processingMs: number;
  estimatedSeconds: number;
}

interface SimulatedTask {
  id: string;
  createdMs: number;
  /** Decided at submit time, so a task's fate does not depend on when it is polled. */
  failure?: TaskFailure;
}

const RESULT_TTL_SECONDS = 86_400;

/**
 * The simulated tasks. Status is computed from elapsed time on every read, so no timer runs and
 * nothing is left behind when the server closes.
 */
export class TaskBook {
  private readonly tasks = new Map<string, SimulatedTask>();
  /** Hold windows, oldest first; only the last may be open (no `to`). */
  private readonly holds: { from: number; to?: number }[] = [];

  constructor(
    private readonly timings: TaskTimings,
    private readonly failureRate: number,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  create(prompt: string): string {
    const createdMs = this.now();
    const id = newTaskId(createdMs);
    const failure = prompt.includes(FAIL_MARKER)
      ? CONTENT_POLICY_FAILURE
      : this.random() < this.failureRate
        ? INTERNAL_FAILURE
        : undefined;
    this.tasks.set(id, { id, createdMs, failure });
    return id;
  }

  has(id: string): boolean {
    return this.tasks.has(id);
  }

  /** While held, no task finishes: unfinished ones report `processing`, progress at most 99. */
  hold(): void {
    if (!this.openHold()) this.holds.push({ from: this.now() });
  }

  /**
   * Ends a hold. A task whose normal finish fell inside it finishes now (at the next read); the
   * others keep their normal schedule. No hold survives a restart.
   */
  release(): void {
    const open = this.openHold();
    if (open) open.to = this.now();
  }

  /** The task as the upstream reports it now; result files are served under `filesUrl`. */
  read(id: string, filesUrl: string): TaskData | undefined {
    const task = this.tasks.get(id);
    if (!task) return undefined;
    const { queuedMs, processingMs, estimatedSeconds } = this.timings;
    const now = this.now();
    const elapsed = now - task.createdMs;
    const base = { id, created: toSeconds(task.createdMs), estimated_time: estimatedSeconds };
    if (elapsed < queuedMs) return { ...base, status: "pending", progress: 0 };
    const finishedMs = this.finishTime(task.createdMs + queuedMs + processingMs);
    if (finishedMs === undefined || now < finishedMs) {
      const share = processingMs === 0 ? 1 : (elapsed - queuedMs) / processingMs;
      return { ...base, status: "processing", progress: Math.min(99, Math.floor(share * 100)) };
    }
    if (task.failure) return { ...base, status: "failed", progress: 99, error: task.failure };

    const completed = toSeconds(finishedMs);
    return {
      ...base,
      status: "completed",
      progress: 100,
      result: {
        videos: [{ url: [`${filesUrl}/${id}.mp4`], expires_at: completed + RESULT_TTL_SECONDS }],
        thumbnail_url: `${filesUrl}/${id}.jpg`,
      },
      completed,
      actual_time: Math.ceil((finishedMs - task.createdMs) / 1000),
    };
  }

  /** When a task due at `dueMs` finishes: then, or when the hold it fell in ends (undefined: held). */
  private finishTime(dueMs: number): number | undefined {
    const hold = this.holds.find(
      ({ from, to }) => dueMs > from && (to === undefined || dueMs <= to),
    );
    return hold ? hold.to : dueMs;
  }

  private openHold(): { from: number; to?: number } | undefined {
    const last = this.holds.at(-1);
    return last?.to === undefined ? last : undefined;
  }
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `task_` + a ULID (26 Crockford base-32 characters), like the upstream's ids. */
function newTaskId(nowMs: number): string {
  let time = "";
  for (let rest = nowMs, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time;
  }
  const random = Array.from(randomBytes(16), (byte) => CROCKFORD[byte % 32]).join("");
  return `task_${time}${random}`;
}

function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
