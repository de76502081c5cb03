import { randomBytes } from "node:crypto";

/** The prompt marker that makes a task fail, whatever the failure rate. */
export const FAIL_MARKER = "[sim:fail]";

export interface TaskFailure {
  code: number;
  message: string;
  type: string;
}

const FAILURES = {
  content_policy: {
    code: 500,
    message: "The prompt was flagged by the content safety policy. Please revise it and try again.",
    type: "content_policy_violation",
  },
  internal: {
    code: 500,
    message: "Video generation failed due to an internal error. Please try again.",
    type: "server_error",
  },
} satisfies Record<string, TaskFailure>;

export type FailureKind = keyof typeof FAILURES;

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === "string" && Object.hasOwn(FAILURES, value);
}

/** One accepted submit: all a task's reported state derives from it and the clock. */
export interface TaskRecord {
  id: string;
  createdMs: number;
  /** The timings in force at submit: a restart with other settings does not move a task's end. */
  queuedMs: number;
  processingMs: number;
  /** Decided at submit, so a task's fate does not depend on when it is polled. */
  failure?: FailureKind;
  /** The submit's `Idempotency-Key`, when it had one. */
  key?: string;
}

/** Where accepted submits are kept beyond the process (see `simulator.state.ts`). */
export interface TaskJournal {
  /** Called before the submit is answered; a throw refuses the submit. */
  append(record: TaskRecord): void;
}

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

export interface TaskBookSettings {
  queuedMs: number;
  processingMs: number;
  estimatedSeconds: number;
  /** Probability (0..1) that a task fails. */
  failureRate: number;
}

export interface TaskBookDependencies {
  now?: () => number;
  random?: () => number;
  journal?: TaskJournal;
  /** Tasks accepted before a restart, oldest first. */
  restored?: readonly TaskRecord[];
}

const RESULT_TTL_SECONDS = 86_400;

/**
 * The simulated tasks. Status is computed from elapsed time on every read, so no timer runs and
 * nothing is left behind when the server closes.
 */
export class TaskBook {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly byKey = new Map<string, string>();
  /** Hold windows, oldest first; only the last may be open (no `to`). */
  private readonly holds: { from: number; to?: number }[] = [];
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly journal: TaskJournal | undefined;

  constructor(
    private readonly settings: TaskBookSettings,
    { now = Date.now, random = Math.random, journal, restored = [] }: TaskBookDependencies = {},
  ) {
    this.now = now;
    this.random = random;
    this.journal = journal;
    restored.forEach((record) => this.remember(record));
  }

  /**
   * Creates a task, or answers the task a previous submit with the same `idempotencyKey` created
   * (`replayed`), creating nothing.
   */
  submit(prompt: string, idempotencyKey?: string): { taskId: string; replayed: boolean } {
    const known = idempotencyKey === undefined ? undefined : this.byKey.get(idempotencyKey);
    if (known !== undefined) return { taskId: known, replayed: true };
    const createdMs = this.now();
    const { queuedMs, processingMs } = this.settings;
    const record: TaskRecord = { id: newTaskId(createdMs), createdMs, queuedMs, processingMs };
    if (prompt.includes(FAIL_MARKER)) record.failure = "content_policy";
    else if (this.random() < this.settings.failureRate) record.failure = "internal";
    if (idempotencyKey !== undefined) record.key = idempotencyKey;
    this.journal?.append(record);
    this.remember(record);
    return { taskId: record.id, replayed: false };
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
    const { queuedMs, processingMs } = task;
    const { estimatedSeconds } = this.settings;
    const now = this.now();
    const elapsed = now - task.createdMs;
    const base = { id, created: toSeconds(task.createdMs), estimated_time: estimatedSeconds };
    if (elapsed < queuedMs) return { ...base, status: "pending", progress: 0 };
    const finishedMs = this.finishTime(task.createdMs + queuedMs + processingMs);
    if (finishedMs === undefined || now < finishedMs) {
      const share = processingMs === 0 ? 1 : (elapsed - queuedMs) / processingMs;
      return { ...base, status: "processing", progress: Math.min(99, Math.floor(share * 100)) };
    }
    if (task.failure) {
      return { ...base, status: "failed", progress: 99, error: FAILURES[task.failure] };
    }
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

  private remember(record: TaskRecord): void {
    this.tasks.set(record.id, record);
    if (record.key !== undefined) this.byKey.set(record.key, record.id);
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
