import { TaskBook, type TaskRecord } from "../../src/simulator/simulator.tasks";

const TIMINGS = { queuedMs: 1000, processingMs: 4000, estimatedSeconds: 5 };
const FILES = "http://sim.test/files";
const START = Date.UTC(2025, 0, 1, 12, 0, 0);

function bookAt(failureRate = 0, random = () => 0.5) {
  const clock = { now: START };
  const journal: TaskRecord[] = [];
  const book = new TaskBook(
    { ...TIMINGS, failureRate },
    { now: () => clock.now, random, journal: { append: (record) => journal.push(record) } },
  );
  const create = (prompt: string, key?: string) => book.submit(prompt, key).taskId;
  return { book, clock, create, journal };
}

describe("TaskBook", () => {
  it("issues ids of the form task_ + 26 upper-case alphanumerics, all different", () => {
    const { create } = bookAt();
    const ids = Array.from({ length: 200 }, () => create("a cat"));
    for (const id of ids) expect(id).toMatch(/^task_[0-9A-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("reports pending with progress 0 and only the always-present fields while queued", () => {
    const { book, clock, create } = bookAt();
    const id = create("a cat");
    clock.now += 999;
    expect(book.read(id, FILES)).toEqual({
      id,
      status: "pending",
      progress: 0,
      created: START / 1000,
      estimated_time: 5,
    });
  });

  it("reports processing with progress rising with elapsed time, capped at 99", () => {
    const { book, clock, create } = bookAt();
    const id = create("a cat");
    const progressAt = (elapsedMs: number) => {
      clock.now = START + elapsedMs;
      const data = book.read(id, FILES);
      expect(data?.status).toBe("processing");
      expect(data).not.toHaveProperty("result");
      return data?.progress;
    };
    expect(progressAt(1000)).toBe(0);
    expect(progressAt(2000)).toBe(25);
    expect(progressAt(3000)).toBe(50);
    expect(progressAt(4999)).toBe(99);
  });

  it("reports completed with an array of video urls, expires_at one day after completion and a thumbnail", () => {
    const { book, clock, create } = bookAt();
    const id = create("a cat");
    clock.now = START + 5000;
    const completed = START / 1000 + 5;
    expect(book.read(id, FILES)).toEqual({
      id,
      status: "completed",
      progress: 100,
      created: START / 1000,
      estimated_time: 5,
      result: {
        videos: [{ url: [`${FILES}/${id}.mp4`], expires_at: completed + 86400 }],
        thumbnail_url: `${FILES}/${id}.jpg`,
      },
      completed,
      actual_time: 5,
    });
  });

  it("fails a prompt carrying [sim:fail] with a content-policy error safe to show end users", () => {
    const { book, clock, create } = bookAt();
    const id = create("a cat [sim:fail]");
    clock.now = START + 5000;
    const data = book.read(id, FILES);
    expect(data).toMatchObject({ status: "failed", error: { code: 500 } });
    expect(data?.error?.type).toBe("content_policy_violation");
    expect(data?.error?.message).toMatch(/content/i);
    expect(data).not.toHaveProperty("result");
    expect(data).not.toHaveProperty("completed");
  });

  it("decides failure at submit from failureRate, independently of when the task is read", () => {
    const draws = [0.1, 0.9];
    const { book, clock, create } = bookAt(0.5, () => draws.shift() ?? 0);
    const failing = create("a cat");
    const succeeding = create("a dog");
    clock.now = START + 60_000;
    expect(book.read(failing, FILES)).toMatchObject({
      status: "failed",
      error: { code: 500, type: "server_error" },
    });
    expect(book.read(succeeding, FILES)?.status).toBe("completed");
  });

  it("knows nothing of an id it did not issue", () => {
    const { book } = bookAt();
    expect(book.read("task_00000000000000000000000000", FILES)).toBeUndefined();
  });
});

describe("TaskBook idempotency and restore", () => {
  it("answers a repeated Idempotency-Key with the first task, and creates and journals nothing", () => {
    const { book, journal } = bookAt();
    const first = book.submit("a cat", "key-1");
    expect(first.replayed).toBe(false);
    expect(book.submit("a different prompt", "key-1")).toEqual({
      taskId: first.taskId,
      replayed: true,
    });
    expect(book.submit("a cat", "key-2").taskId).not.toBe(first.taskId);
    expect(journal.map((record) => record.key)).toEqual(["key-1", "key-2"]);
  });

  it("journals each task before answering, with its creation time, its fate and its key", () => {
    const { create, journal } = bookAt();
    const plain = create("a cat");
    const failing = create("a cat [sim:fail]", "k");
    expect(journal).toEqual([
      { id: plain, createdMs: START, queuedMs: 1000, processingMs: 4000 },
      {
        id: failing,
        createdMs: START,
        queuedMs: 1000,
        processingMs: 4000,
        failure: "content_policy",
        key: "k",
      },
    ]);
  });

  it("refuses the submit when the journal cannot record it, and keeps no task", () => {
    const book = new TaskBook(
      { ...TIMINGS, failureRate: 0 },
      {
        journal: {
          append: () => {
            throw new Error("disk full");
          },
        },
      },
    );
    expect(() => book.submit("a cat", "k")).toThrow("disk full");
    // Had the key been kept, this would be a replay rather than a second attempt.
    expect(() => book.submit("a cat", "k")).toThrow("disk full");
  });

  it("a book restored from the journal reports the same tasks and replays their keys", () => {
    const { book, clock, create, journal } = bookAt();
    const done = create("a cat", "key-done");
    clock.now += 2000;
    const running = create("a dog [sim:fail]", "key-running");
    clock.now += 1000;
    const restored = new TaskBook(
      { ...TIMINGS, failureRate: 0 },
      { now: () => clock.now, random: () => 0.5, restored: journal },
    );
    for (const id of [done, running]) {
      expect(restored.read(id, FILES)).toEqual(book.read(id, FILES));
    }
    expect(restored.submit("again", "key-running")).toEqual({ taskId: running, replayed: true });
    clock.now += 10_000;
    expect(restored.read(running, FILES)?.status).toBe("failed");
  });

  it("keeps each restored task on the timings it was submitted with, whatever the new settings", () => {
    const { clock, create, journal } = bookAt();
    const id = create("a cat");
    clock.now = START + 5000;
    const slower = new TaskBook(
      { queuedMs: 60_000, processingMs: 600_000, estimatedSeconds: 660, failureRate: 0 },
      { now: () => clock.now, restored: journal },
    );
    expect(slower.read(id, FILES)).toMatchObject({ status: "completed", actual_time: 5 });
  });
});

describe("TaskBook hold gate", () => {
  it("while held, a task due to finish stays processing below 100; it completes at the release", () => {
    const { book, clock, create } = bookAt();
    const id = create("a cat");
    clock.now = START + 3000;
    book.hold();
    for (const elapsed of [4999, 5000, 60_000]) {
      clock.now = START + elapsed;
      const data = book.read(id, FILES);
      expect(data).toMatchObject({ status: "processing" });
      expect(data?.progress).toBeLessThanOrEqual(99);
      expect(data).not.toHaveProperty("result");
    }
    clock.now = START + 70_000;
    book.release();
    expect(book.read(id, FILES)).toMatchObject({
      status: "completed",
      progress: 100,
      completed: (START + 70_000) / 1000,
      actual_time: 70,
    });
  });

  it("holds failing tasks too, and lets pending tasks start processing", () => {
    const { book, clock, create } = bookAt();
    book.hold();
    const failing = create("a cat [sim:fail]");
    const pending = create("a dog");
    clock.now = START + 500;
    expect(book.read(pending, FILES)?.status).toBe("pending");
    clock.now = START + 10_000;
    expect(book.read(pending, FILES)).toMatchObject({ status: "processing", progress: 99 });
    expect(book.read(failing, FILES)?.status).toBe("processing");
    book.release();
    expect(book.read(failing, FILES)?.status).toBe("failed");
    expect(book.read(pending, FILES)?.status).toBe("completed");
  });

  it("leaves a task finished before the hold finished, and one due after the release on time", () => {
    const { book, clock, create } = bookAt();
    const early = create("a cat");
    clock.now = START + 5000;
    book.hold();
    const late = create("a dog");
    clock.now = START + 6000;
    book.release();
    expect(book.read(early, FILES)).toMatchObject({
      status: "completed",
      completed: START / 1000 + 5,
    });
    clock.now = START + 5000 + 4999;
    expect(book.read(late, FILES)?.status).toBe("processing");
    clock.now = START + 5000 + 5000;
    expect(book.read(late, FILES)).toMatchObject({ status: "completed", actual_time: 5 });
  });

  it("treats a second hold() or release() in a row as no-ops, and can hold again", () => {
    const { book, clock, create } = bookAt();
    const first = create("a cat");
    book.hold();
    clock.now = START + 6000;
    book.hold();
    expect(book.read(first, FILES)?.status).toBe("processing");
    book.release();
    book.release();
    expect(book.read(first, FILES)?.status).toBe("completed");
    const second = create("a dog");
    book.hold();
    clock.now += 60_000;
    expect(book.read(second, FILES)?.status).toBe("processing");
    expect(book.read(first, FILES)?.status).toBe("completed");
    book.release();
    expect(book.read(second, FILES)?.status).toBe("completed");
  });
});
