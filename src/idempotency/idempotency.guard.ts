import type { TaskRecord } from "../domain/task";
import { IdempotencyKeyReusedError } from "../errors/gateway-errors";
import type { Logger } from "../observability/logger";
import type { InstanceRegistry } from "../ports/instance-registry";
import type {
  AdmitResult,
  IdempotencyClaim,
  IdempotencyKeyRecord,
  TaskStore,
} from "../ports/task-store";

export interface IdempotencyGuardOptions {
  /** How long a key is remembered (`IDEMPOTENCY_TTL_HOURS`). */
  ttlMs: number;
  /**
   * How long after its claim a submit can still be running (the submit timeout plus a margin): a
   * claim older than this has ended one way or another, even if its instance looks alive.
   */
  submitWindowMs: number;
  /** How often a request waiting for a submit in flight on another instance looks again. */
  pollMs: number;
}

/** Writes and submits a new task under `claim`; resolves with it, or with why the key refused it. */
export type ClaimedSubmit = (
  claim: IdempotencyClaim,
  taskId: string,
) => Promise<TaskRecord | Exclude<AdmitResult, { outcome: "admitted" | "over-quota" }>>;

/** Called with a task that a replay found orphaned by a crash, so polling (and reconciling) resumes. */
export type OrphanHandler = (task: TaskRecord) => void;

/**
 * Runs a submit at most once per (principal, key, input): a replay returns the first task; the same key
 * with another input is refused; a request racing a submit in flight shares its outcome, in this
 * process or on another instance. A replay of a submit cut off by a crash answers at once with its
 * task, which the poller reconciles.
 */
export class IdempotencyGuard {
  private readonly inFlight = new Map<string, { requestHash: string; task: Promise<TaskRecord> }>();
  /** Ids of the tasks this process is submitting right now. */
  private readonly submittingHere = new Set<string>();

  constructor(
    private readonly store: Pick<TaskStore, "findKey" | "settleKey" | "get">,
    private readonly instances: InstanceRegistry,
    private readonly options: IdempotencyGuardOptions,
    private readonly onOrphan: OrphanHandler,
    private readonly logger: Logger,
  ) {}

  /**
   * `onShare` is called when this request joins a submit of the same key and input already in
   * flight in this process: it then gets that submit's answer, task or error, and submits nothing.
   */
  async run(
    ownerId: string,
    key: string,
    requestHash: string,
    taskId: () => string,
    submit: ClaimedSubmit,
    onShare: () => void = () => undefined,
  ): Promise<TaskRecord> {
    const slot = `${ownerId}\u0000${key}`;
    const here = this.inFlight.get(slot);
    if (here) {
      if (here.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
      onShare();
      return here.task;
    }
    const task = this.resolve(ownerId, key, requestHash, taskId, submit);
    this.inFlight.set(slot, { requestHash, task });
    try {
      return await task;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  private async resolve(
    ownerId: string,
    key: string,
    requestHash: string,
    taskId: () => string,
    submit: ClaimedSubmit,
  ): Promise<TaskRecord> {
    for (;;) {
      let record = await this.store.findKey(ownerId, key, new Date());
      if (!record) {
        const outcome = await this.attempt(ownerId, key, requestHash, taskId(), submit);
        if (outcome.task) return outcome.task;
        if (outcome.refusal.outcome === "conflict") throw new IdempotencyKeyReusedError(key);
        record = outcome.refusal.key; // another instance admitted the same key first
      }
      const replay = await this.replay(ownerId, key, requestHash, record);
      if (replay) return replay;
    }
  }

  private async attempt(
    ownerId: string,
    key: string,
    requestHash: string,
    taskId: string,
    submit: ClaimedSubmit,
  ): Promise<
    | { task: TaskRecord; refusal?: undefined }
    | { task?: undefined; refusal: Exclude<AdmitResult, { outcome: "admitted" | "over-quota" }> }
  > {
    const claim: IdempotencyClaim = {
      key,
      requestHash,
      expiresAt: new Date(Date.now() + this.options.ttlMs),
      claimedBy: this.instances.selfId,
    };
    this.submittingHere.add(taskId);
    try {
      const result = await submit(claim, taskId);
      if ("outcome" in result) return { refusal: result };
      return { task: result };
    } finally {
      this.submittingHere.delete(taskId);
      // Accepted, or kept with its outcome unknown: replays return the task from now on. A refused
      // submit deleted its task and key together, so this finds nothing to settle.
      await this.settle(ownerId, key, taskId);
    }
  }

  /**
   * Settles a key without letting a store failure replace the submit's outcome: an unsettled key of
   * a submit that ended here is recognised as ended by {@link replay} all the same.
   */
  private async settle(ownerId: string, key: string, taskId: string): Promise<void> {
    await this.store.settleKey(ownerId, key, taskId).catch((error: unknown) => {
      this.logger.warn({ err: error, taskId }, "could not settle an idempotency key");
    });
  }

  /**
   * What a request with a known key gets: the task when its submit has ended (or was cut off by a
   * crash), after waiting for a submit still running elsewhere; null to look again.
   */
  private async replay(
    ownerId: string,
    key: string,
    requestHash: string,
    record: IdempotencyKeyRecord,
  ): Promise<TaskRecord | null> {
    if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
    const task = await this.store.get(record.taskId);
    if (!task) return null; // deleted with its refused submit since: the key is free again
    if (record.state === "settled") return task;
    const windowOver = record.claimedAt.getTime() + this.options.submitWindowMs <= Date.now();
    // Claimed here but no longer submitting here: it ended and its key could not be settled.
    const endedHere =
      record.claimedBy === this.instances.selfId && !this.submittingHere.has(record.taskId);
    if (windowOver || endedHere || !(await this.instances.isAlive(record.claimedBy))) {
      // Its submit was cut off (a crash) or not recorded as ended: the task was written ahead, and
      // the poller reconciles it.
      await this.settle(ownerId, key, task.id);
      this.onOrphan(task);
      return task;
    }
    await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    return null;
  }
}
