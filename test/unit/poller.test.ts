import { busiestWindow } from "../helpers/windows";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import type { UpstreamJobState } from "../../src/domain/upstream-job";
import { InProcessEventBus } from "../../src/events/in-process.event-bus";
import { createLogger } from "../../src/observability/logger";
import { Poller, type PollerOptions } from "../../src/poller/poller";
import { UpstreamError, type UpstreamClient } from "../../src/ports/upstream-client";
import {
  InProcessPollScheduler,
  type InProcessPollSchedulerOptions,
} from "../../src/scheduler/in-process.poll-scheduler";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { aTaskRecord, anUpstreamState } from "../helpers/fixtures";
import { waitFor as waitUntil } from "../helpers/wait-for";

const VIDEO = {
  url: "https://upload.apimart.ai/f/video/done.mp4",
  thumbnailUrl: null,
  expiresAt: new Date(Date.UTC(2030, 0, 1)),
};

/** One scripted upstream answer: a state, an error to throw, or a function for latency and control. */
type Answer = UpstreamJobState | Error | (() => Promise<UpstreamJobState>);

const state = (upstreamTaskId: string, fields: Partial<UpstreamJobState>): UpstreamJobState =>
  anUpstreamState({ upstreamTaskId, ...fields });
const pending = (id: string) => state(id, { providerStatus: "pending" });
const processing = (id: string, progress: number) => state(id, { progress });
const completed = (id: string) =>
  state(id, { providerStatus: "completed", progress: 100, video: VIDEO });

/** Answers getTask from a per-task script (the last answer repeats) and records every call. */
class ScriptedUpstream implements UpstreamClient {
  readonly calls: Array<{ upstreamTaskId: string; at: number }> = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly inFlightById = new Map<string, number>();
  maxInFlightForOneTask = 0;
  private readonly scripts = new Map<string, Answer[]>();

  script(upstreamTaskId: string, ...answers: Answer[]): void {
    this.scripts.set(upstreamTaskId, answers);
  }

  callsFor(upstreamTaskId: string): number[] {
    return this.calls.filter((call) => call.upstreamTaskId === upstreamTaskId).map((c) => c.at);
  }

  /** Answers to reconciling resubmits, in order (the last repeats); each call is recorded. */
  submitAnswers: Array<{ upstreamTaskId: string } | Error> = [];
  readonly submits: Array<{ idempotencyKey?: string }> = [];

  async submit(
    _request: unknown,
    options: { idempotencyKey: string },
  ): Promise<{ upstreamTaskId: string }> {
    this.submits.push(options);
    const answer = this.submitAnswers[Math.min(this.submits.length, this.submitAnswers.length) - 1];
    if (!answer) throw new Error("no submit answer scripted");
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async getTask(upstreamTaskId: string): Promise<UpstreamJobState> {
    this.calls.push({ upstreamTaskId, at: Date.now() });
    const script = this.scripts.get(upstreamTaskId);
    if (!script) throw new Error(`no script for ${upstreamTaskId}`);
    const answer = script[Math.min(this.callsFor(upstreamTaskId).length, script.length) - 1];
    const forTask = (this.inFlightById.get(upstreamTaskId) ?? 0) + 1;
    this.inFlightById.set(upstreamTaskId, forTask);
    this.maxInFlightForOneTask = Math.max(this.maxInFlightForOneTask, forTask);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (answer instanceof Error) throw answer;
      return typeof answer === "function" ? await answer() : answer;
    } finally {
      this.inFlight -= 1;
      this.inFlightById.set(upstreamTaskId, (this.inFlightById.get(upstreamTaskId) ?? 1) - 1);
    }
  }
}

const after = (ms: number, answer: UpstreamJobState) => () =>
  new Promise<UpstreamJobState>((resolve) => setTimeout(() => resolve(answer), ms));

/**
 * The shared waitFor, checking every 2 ms: these tests run on 10 ms intervals. It gives up just
 * before jest does, so a loaded machine only makes a test slower; what a test rules out (a poll an
 * hour late) cannot happen within it.
 */
const waitFor = (predicate: () => boolean, what: string, timeoutMs = 25_000) =>
  waitUntil(predicate, { what, timeoutMs, intervalMs: 2 });

function taskRecord(id: string, fields: Partial<TaskRecord> = {}): TaskRecord {
  const now = new Date();
  return aTaskRecord({
    id,
    upstreamTaskId: `up_${id}`,
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
}

const teardowns: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

/**
 * A poller with the in-process scheduler over a fresh in-memory store, real events and a scripted
 * upstream; torn down after each test.
 */
function setUp(options: Partial<PollerOptions & InProcessPollSchedulerOptions> = {}) {
  const store = new SqliteTaskStore(":memory:");
  const events = new InProcessEventBus();
  const upstream = new ScriptedUpstream();
  const logger = createLogger("silent");
  const scheduler = new InProcessPollScheduler(
    { concurrency: options.concurrency ?? 4, ratePerSecond: options.ratePerSecond ?? 1000 },
    logger,
  );
  const poller = new Poller(store, upstream, events, scheduler, logger, {
    intervalMs: 10,
    maxIntervalMs: 50,
    maxBackoffMs: 50,
    jitterRatio: 0,
    taskDeadlineMs: 60_000,
    upstreamLostAfterMs: 60_000,
    resubmitUnconfirmed: true,
    random: () => 0.5,
    ...options,
  });
  teardowns.push(() => store.close());
  teardowns.push(() => poller.stop(3000));

  /** Stores a task and returns it with the list of snapshots published for it. */
  async function addTask(id: string, fields: Partial<TaskRecord> = {}) {
    const task = taskRecord(id, fields);
    await store.admit(task, { maxActivePerOwner: 0 });
    const published: TaskRecord[] = [];
    teardowns.push(
      await events.subscribe({ taskId: id }, { next: (snapshot) => published.push(snapshot) }),
    );
    return { task, published, upstreamId: task.upstreamTaskId ?? "" };
  }

  const finished = (published: TaskRecord[]) => () =>
    published.some((snapshot) =>
      [TaskStatus.SUCCEEDED, TaskStatus.FAILED].includes(snapshot.status),
    );

  return { store, events, upstream, poller, scheduler, addTask, finished };
}

describe("Poller", () => {
  it("takes a task from QUEUED through PROCESSING to SUCCEEDED, storing then publishing each change once", async () => {
    const { store, upstream, poller, addTask, finished } = setUp();
    const { task, published, upstreamId } = await addTask("vt_life");
    upstream.script(
      upstreamId,
      pending(upstreamId),
      processing(upstreamId, 30),
      processing(upstreamId, 30),
      processing(upstreamId, 60),
      completed(upstreamId),
    );

    await poller.start();
    poller.track(task);
    await waitFor(finished(published), "the task finishes");

    expect(published.map((s) => [s.version, s.status, s.progress])).toEqual([
      [2, TaskStatus.QUEUED, 0],
      [3, TaskStatus.PROCESSING, 30],
      [4, TaskStatus.PROCESSING, 60],
      [5, TaskStatus.SUCCEEDED, 100],
    ]);
    expect(upstream.callsFor(upstreamId)).toHaveLength(5);
    const stored = await store.get(task.id);
    expect(stored).toStrictEqual(published.at(-1));
    expect(stored).toMatchObject({ video: VIDEO, providerStatus: "completed" });
    expect(stored?.completedAt).toBeInstanceOf(Date);
  });

  it("stops polling a task once it is terminal, while other tasks go on", async () => {
    const { upstream, poller, scheduler, addTask, finished } = setUp();
    const done = await addTask("vt_done");
    const running = await addTask("vt_running");
    upstream.script(done.upstreamId, processing(done.upstreamId, 50), completed(done.upstreamId));
    upstream.script(running.upstreamId, processing(running.upstreamId, 10));

    await poller.start();
    poller.track(done.task);
    poller.track(running.task);
    await waitFor(finished(done.published), "the first task finishes");
    const pollsOfDone = upstream.callsFor(done.upstreamId).length;
    const pollsOfRunning = upstream.callsFor(running.upstreamId).length;
    await waitFor(
      () => upstream.callsFor(running.upstreamId).length >= pollsOfRunning + 5,
      "the other task is polled five more times",
    );

    expect(pollsOfDone).toBe(2);
    expect(upstream.callsFor(done.upstreamId)).toHaveLength(2);
    expect(await scheduler.scheduled()).toBe(1);
  });

  it("does not track a task that is already terminal", async () => {
    const { poller, scheduler, addTask } = setUp();
    const { task } = await addTask("vt_old", { status: TaskStatus.SUCCEEDED });
    await poller.start();
    poller.track(task);
    expect(await scheduler.scheduled()).toBe(0);
  });

  it("keeps one poll stream per task however often it is tracked: polls never overlap and stay an interval apart", async () => {
    const intervalMs = 30;
    const { upstream, poller, addTask, finished } = setUp({ intervalMs, maxIntervalMs: 100 });
    const { task, published, upstreamId } = await addTask("vt_twice");
    upstream.script(
      upstreamId,
      after(5, processing(upstreamId, 10)),
      after(5, processing(upstreamId, 20)),
      after(5, processing(upstreamId, 30)),
      completed(upstreamId),
    );

    poller.track(task);
    await poller.start();
    poller.track(task);
    poller.track({ ...task });
    await waitFor(() => upstream.callsFor(upstreamId).length === 1, "the first poll starts");
    poller.track(task);
    await waitFor(() => published.length === 1, "the first change is published");
    poller.track(published[0]);
    await waitFor(finished(published), "the task finishes");

    const calls = upstream.callsFor(upstreamId);
    expect(calls).toHaveLength(4);
    expect(upstream.maxInFlightForOneTask).toBe(1);
    for (let i = 1; i < calls.length; i += 1) {
      expect(calls[i] - calls[i - 1]).toBeGreaterThanOrEqual(intervalMs);
    }
    expect(published.map((snapshot) => snapshot.version)).toEqual([2, 3, 4, 5]);
  });

  it("keeps one poll stream for a task tracked while start() is still reading the store", async () => {
    const { store, upstream, poller, scheduler, addTask, finished } = setUp();
    // A store slower to list than SQLite (as a networked store will be) opens the window.
    let listed!: () => void;
    const listing = new Promise<void>((resolve) => (listed = resolve));
    const listActiveIds = store.listActiveIds.bind(store);
    store.listActiveIds = async () => {
      await listing;
      return listActiveIds();
    };
    const { task, published, upstreamId } = await addTask("vt_race");
    let answer!: (state: UpstreamJobState) => void;
    upstream.script(
      upstreamId,
      () => new Promise<UpstreamJobState>((resolve) => (answer = resolve)),
      completed(upstreamId),
    );

    const starting = poller.start();
    poller.track(task);
    await waitFor(() => upstream.callsFor(upstreamId).length === 1, "the first poll is in flight");
    listed();
    await starting;
    // The resume found the task already in flight: nothing else of it waits to be polled.
    expect(scheduler.waiting).toBe(0);
    answer(processing(upstreamId, 50));
    await waitFor(finished(published), "the task finishes");

    expect(upstream.maxInFlightForOneTask).toBe(1);
    expect(upstream.callsFor(upstreamId)).toHaveLength(2);
  });

  it("backs off on upstream errors and still finishes the task", async () => {
    const { store, upstream, poller, addTask, finished } = setUp();
    const { task, published, upstreamId } = await addTask("vt_flaky");
    upstream.script(
      upstreamId,
      new UpstreamError("server_error", "502 from upstream", { httpStatus: 502 }),
      new UpstreamError("network", "socket hang up"),
      new UpstreamError("timeout", "no answer in 10 s", { outcomeUnknown: true }),
      processing(upstreamId, 40),
      completed(upstreamId),
    );

    await poller.start();
    poller.track(task);
    await waitFor(finished(published), "the task finishes");

    expect(upstream.callsFor(upstreamId)).toHaveLength(5);
    expect(published.map((snapshot) => [snapshot.version, snapshot.status])).toEqual([
      [2, TaskStatus.PROCESSING],
      [3, TaskStatus.SUCCEEDED],
    ]);
    expect((await store.get(task.id))?.status).toBe(TaskStatus.SUCCEEDED);
  });

  it("keeps polling a task after an unexpected error from the client", async () => {
    const { upstream, poller, addTask, finished } = setUp();
    const { task, published, upstreamId } = await addTask("vt_crash");
    upstream.script(upstreamId, new TypeError("boom"), completed(upstreamId));

    await poller.start();
    poller.track(task);
    await waitFor(finished(published), "the task finishes");

    expect(published.map((snapshot) => snapshot.status)).toEqual([TaskStatus.SUCCEEDED]);
  });

  it("does not poll again before the upstream's Retry-After has passed, when it is within the cap", async () => {
    const retryAfterMs = 200;
    const { upstream, poller, addTask, finished } = setUp({ maxBackoffMs: 400 });
    const { task, published, upstreamId } = await addTask("vt_429");
    upstream.script(
      upstreamId,
      new UpstreamError("rate_limited", "429", { httpStatus: 429, retryAfterMs }),
      completed(upstreamId),
    );

    await poller.start();
    poller.track(task);
    await waitFor(finished(published), "the task finishes");

    const [first, second] = upstream.callsFor(upstreamId);
    expect(second - first).toBeGreaterThanOrEqual(retryAfterMs);
  });

  it("polls again after the backoff cap when Retry-After asks for an hour", async () => {
    const { upstream, poller, addTask, finished } = setUp({ maxBackoffMs: 100 });
    const { task, published, upstreamId } = await addTask("vt_429_hour");
    upstream.script(
      upstreamId,
      new UpstreamError("rate_limited", "429", { httpStatus: 429, retryAfterMs: 3_600_000 }),
      completed(upstreamId),
    );

    await poller.start();
    poller.track(task);
    // Honouring the hour would leave the task unfinished far beyond the test's timeout.
    await waitFor(finished(published), "the task finishes");

    const [first, second] = upstream.callsFor(upstreamId);
    expect(second - first).toBeGreaterThanOrEqual(90);
  });

  describe("a task the upstream denies knowing (HTTP 400 Invalid task ID)", () => {
    const denial = () =>
      new UpstreamError("bad_request", "400 Invalid task ID", { httpStatus: 400 });

    it("fails it with UPSTREAM_TASK_LOST at once when the first denial was recorded long enough ago, by another instance or before a restart", async () => {
      const { store, upstream, poller, addTask, finished } = setUp({ upstreamLostAfterMs: 1000 });
      const { task, published, upstreamId } = await addTask("vt_purged");
      await store.markUpstreamMissing(task.id, new Date(Date.now() - 5000));
      upstream.script(upstreamId, denial());

      await poller.start();
      poller.track(task);
      await waitFor(finished(published), "the task fails");

      expect(published.at(-1)).toMatchObject({
        status: TaskStatus.FAILED,
        error: { code: "UPSTREAM_TASK_LOST" },
      });
      expect(upstream.callsFor(upstreamId)).toHaveLength(1);
    });

    it("records the first denial and keeps it through later ones, then fails the task", async () => {
      const { store, upstream, poller, addTask, finished } = setUp({ upstreamLostAfterMs: 100 });
      const { task, published, upstreamId } = await addTask("vt_gone");
      upstream.script(upstreamId, denial());
      const started = Date.now();

      await poller.start();
      poller.track(task);
      await waitFor(() => upstream.callsFor(upstreamId).length >= 1, "a first denial");
      const first = (await store.get(task.id))!.upstreamMissingSince!;
      await waitFor(finished(published), "the task fails");

      expect(first.getTime()).toBeGreaterThanOrEqual(started);
      expect((await store.get(task.id))!.upstreamMissingSince).toEqual(first);
      expect(upstream.callsFor(upstreamId).length).toBeGreaterThan(1);
      expect(published.at(-1)!.error?.code).toBe("UPSTREAM_TASK_LOST");
    });

    it("forgets the denials once the upstream knows the task again", async () => {
      const { store, upstream, poller, addTask, finished } = setUp({ upstreamLostAfterMs: 60_000 });
      const { task, published, upstreamId } = await addTask("vt_back");
      upstream.script(upstreamId, denial(), processing(upstreamId, 40), completed(upstreamId));

      await poller.start();
      poller.track(task);
      await waitFor(finished(published), "the task finishes");

      expect(published.at(-1)!.status).toBe(TaskStatus.SUCCEEDED);
      expect((await store.get(task.id))!.upstreamMissingSince).toBeNull();
    });
  });

  it("retries a deferred poll (held back by the gateway's own rate gate) without a failure, even at the deadline", async () => {
    const { upstream, poller, addTask, finished } = setUp({ taskDeadlineMs: 1000 });
    const { published, upstreamId } = await addTask("vt_deferred", {
      status: TaskStatus.PROCESSING,
      createdAt: new Date(Date.now() - 5000),
    });
    upstream.script(
      upstreamId,
      new UpstreamError("deferred", "held back", { retryAfterMs: 5 }),
      completed(upstreamId),
    );

    await poller.start();
    await waitFor(finished(published), "the task finishes");

    // Past its deadline, a poll that was never sent is not the last look: the next one is.
    expect(published.map((snapshot) => snapshot.status)).toEqual([TaskStatus.SUCCEEDED]);
    expect(upstream.callsFor(upstreamId)).toHaveLength(2);
  });

  it("fails a task still running at its deadline with TIMED_OUT, and polls it no more", async () => {
    const { store, upstream, poller, scheduler, addTask, finished } = setUp({
      taskDeadlineMs: 150,
    });
    const { task, published, upstreamId } = await addTask("vt_slow");
    upstream.script(upstreamId, processing(upstreamId, 5));

    await poller.start();
    poller.track(task);
    await waitFor(finished(published), "the task times out");

    const last = published.at(-1)!;
    expect(last).toMatchObject({ status: TaskStatus.FAILED, error: { code: "TIMED_OUT" } });
    expect(last.completedAt).toBeInstanceOf(Date);
    expect(Date.now() - task.createdAt.getTime()).toBeGreaterThanOrEqual(150);
    expect(await store.get(task.id)).toStrictEqual(last);
    expect(await scheduler.scheduled()).toBe(0);
    const polls = upstream.callsFor(upstreamId).length;
    expect(polls).toBeGreaterThan(0);
    expect(published.map((snapshot) => snapshot.version)).toEqual(
      Array.from({ length: published.length }, (_, i) => i + 2),
    );
  });

  it("asks the upstream once more at the deadline: a job that finished in time is not timed out", async () => {
    const { upstream, poller, addTask, finished } = setUp({ taskDeadlineMs: 1000 });
    const { published, upstreamId } = await addTask("vt_just_in_time", {
      status: TaskStatus.PROCESSING,
      createdAt: new Date(Date.now() - 5000),
    });
    upstream.script(upstreamId, completed(upstreamId));

    await poller.start();
    await waitFor(finished(published), "the task finishes");

    expect(published.map((snapshot) => snapshot.status)).toEqual(["SUCCEEDED"]);
    expect(upstream.callsFor(upstreamId)).toHaveLength(1);
  });

  it("fails an overdue task still running after that one last look, with TIMED_OUT", async () => {
    const { upstream, poller, addTask, finished } = setUp({ taskDeadlineMs: 1000 });
    const { published, upstreamId } = await addTask("vt_overdue", {
      status: TaskStatus.PROCESSING,
      createdAt: new Date(Date.now() - 5000),
    });
    upstream.script(upstreamId, processing(upstreamId, 50));

    await poller.start();
    await waitFor(finished(published), "the task times out");

    expect(published.at(-1)?.error?.code).toBe("TIMED_OUT");
    expect(upstream.callsFor(upstreamId)).toHaveLength(1);
  });

  it("reconciles a task with no upstream id by resubmitting under its own id as Idempotency-Key", async () => {
    const { store, upstream, poller, addTask, finished } = setUp();
    const { published } = await addTask("vt_unconfirmed", { upstreamTaskId: null });
    upstream.submitAnswers = [
      new UpstreamError("timeout", "no answer", { outcomeUnknown: true }),
      { upstreamTaskId: "up_found" },
    ];
    upstream.script("up_found", completed("up_found"));

    await poller.start();
    await waitFor(finished(published), "the task finishes");

    expect(upstream.submits).toEqual([
      { idempotencyKey: "vt_unconfirmed" },
      { idempotencyKey: "vt_unconfirmed" },
    ]);
    expect((await store.get("vt_unconfirmed"))?.upstreamTaskId).toBe("up_found");
    // Confirming the upstream id is not a change a client sees: only the completion was published.
    expect(published.map((snapshot) => snapshot.status)).toEqual(["SUCCEEDED"]);
  });

  it("ends an unconfirmed task the upstream refuses for good as SUBMIT_FAILED", async () => {
    const { upstream, poller, addTask, finished } = setUp();
    const { published } = await addTask("vt_refused", { upstreamTaskId: null });
    upstream.submitAnswers = [new UpstreamError("payment_required", "no balance")];

    await poller.start();
    await waitFor(finished(published), "the task ends");

    expect(published.at(-1)?.error?.code).toBe("SUBMIT_FAILED");
    expect(upstream.submits).toHaveLength(1);
  });

  it("with resubmitting off, fails an unconfirmed task without submitting anything", async () => {
    const { upstream, poller, addTask, finished } = setUp({ resubmitUnconfirmed: false });
    const { published } = await addTask("vt_left_alone", { upstreamTaskId: null });

    await poller.start();
    await waitFor(finished(published), "the task ends");

    expect(published.at(-1)?.error?.code).toBe("SUBMIT_FAILED");
    expect(upstream.submits).toHaveLength(0);
  });

  it("resumes on start every active task in the store, and leaves finished ones alone", async () => {
    const { upstream, poller, scheduler, addTask, finished } = setUp();
    const queued = await addTask("vt_queued");
    const running = await addTask("vt_processing", {
      status: TaskStatus.PROCESSING,
      providerStatus: "processing",
      progress: 40,
    });
    const done = await addTask("vt_succeeded", { status: TaskStatus.SUCCEEDED });
    for (const { upstreamId } of [queued, running, done]) {
      upstream.script(upstreamId, completed(upstreamId));
    }

    await poller.start();
    await waitFor(
      () => finished(queued.published)() && finished(running.published)(),
      "both active tasks finish",
    );

    expect(queued.published.map((snapshot) => snapshot.status)).toEqual([TaskStatus.SUCCEEDED]);
    expect(running.published.map((snapshot) => snapshot.status)).toEqual([TaskStatus.SUCCEEDED]);
    expect(upstream.callsFor(done.upstreamId)).toHaveLength(0);
    expect(await scheduler.scheduled()).toBe(0);
  });

  it("on stop, waits for the poll in flight and stores its result", async () => {
    const { store, upstream, poller, addTask } = setUp();
    const { task, published, upstreamId } = await addTask("vt_stop");
    let answer!: (state: UpstreamJobState) => void;
    upstream.script(
      upstreamId,
      () => new Promise<UpstreamJobState>((resolve) => (answer = resolve)),
    );

    await poller.start();
    poller.track(task);
    await waitFor(() => upstream.callsFor(upstreamId).length === 1, "the poll is in flight");

    let stopped = false;
    const stopping = poller.stop(3000).then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);

    answer(completed(upstreamId));
    await stopping;
    expect(published.map((snapshot) => snapshot.status)).toEqual([TaskStatus.SUCCEEDED]);
    expect(await store.get(task.id)).toMatchObject({ status: TaskStatus.SUCCEEDED, version: 2 });
  });

  it("never has more than `concurrency` upstream calls in flight", async () => {
    const concurrency = 3;
    const { upstream, poller, addTask, finished } = setUp({ concurrency });
    const tasks = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const added = await addTask(`vt_c${i}`);
        const id = added.upstreamId;
        upstream.script(id, after(15, processing(id, 50)), after(15, completed(id)));
        return added;
      }),
    );

    await poller.start();
    tasks.forEach(({ task }) => poller.track(task));
    await waitFor(
      () => tasks.every(({ published }) => finished(published)()),
      "every task finishes",
    );

    expect(upstream.calls).toHaveLength(20);
    expect(upstream.maxInFlight).toBe(concurrency);
  });

  it("never makes more than ratePerSecond upstream calls in any one-second window, across tasks", async () => {
    const ratePerSecond = 4;
    const { upstream, poller, addTask, finished } = setUp({ ratePerSecond, concurrency: 10 });
    const tasks = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const added = await addTask(`vt_r${i}`);
        const id = added.upstreamId;
        upstream.script(id, processing(id, 30), processing(id, 60), completed(id));
        return added;
      }),
    );

    await poller.start();
    tasks.forEach(({ task }) => poller.track(task));
    await waitFor(
      () => tasks.every(({ published }) => finished(published)()),
      "every task finishes",
      10_000,
    );

    const times = upstream.calls.map((call) => call.at).sort((a, b) => a - b);
    expect(times).toHaveLength(15);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(ratePerSecond);
    // Calls i and i + R are a window apart: 15 calls at R = 4 span three windows.
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(3000);
  });
});
