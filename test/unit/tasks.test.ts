import type { Principal } from "../../src/domain/principal";
import { BadUserInputError } from "../../src/errors/gateway-errors";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { decodeCursor, encodeCursor } from "../../src/tasks/task.cursor";
import { estimateSecondsRemaining } from "../../src/domain/task-estimate";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import { TaskService } from "../../src/tasks/task.service";
import { aTaskRecord, insert, T0 } from "../helpers/fixtures";

const ALICE: Principal = { id: "key:alice", via: "client-key" };
const BOB: Principal = { id: "key:bob", via: "client-key" };

/** A task of ALICE's that upstream is processing. */
function taskRecord(fields: Partial<TaskRecord> = {}): TaskRecord {
  return aTaskRecord({
    ownerId: ALICE.id,
    status: TaskStatus.PROCESSING,
    providerStatus: "processing",
    ...fields,
  });
}

describe("task cursors", () => {
  it("round-trip the position they were made from", () => {
    const position = {
      createdAt: new Date(T0 + 123),
      id: "vt_0b9e4c1a-77f2-4c55-9b61-3f0a1b2c3d4e",
    };
    const cursor = encodeCursor(position);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it("are opaque url-safe text", () => {
    const cursor = encodeCursor({ createdAt: new Date(T0), id: "vt_a:b/c+d" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("vt_");
    expect(decodeCursor(cursor)).toEqual({ createdAt: new Date(T0), id: "vt_a:b/c+d" });
  });

  it.each([
    ["empty", ""],
    ["punctuation", "!!!"],
    ["plain words", "not-a-cursor"],
    ["a bare id", "vt_1"],
    ["base64 of text without a time", Buffer.from("vt_1", "utf8").toString("base64url")],
    ["base64 of a non-numeric time", Buffer.from("abc:vt_1", "utf8").toString("base64url")],
    ["base64 of a time with no id", Buffer.from("1700000000000:", "utf8").toString("base64url")],
    ["base64 of an over-long id", Buffer.from(`1:${"i".repeat(201)}`).toString("base64url")],
  ])("decode %s to null", (_case, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it("decode a tampered cursor to null", () => {
    const cursor = encodeCursor({ createdAt: new Date(T0), id: "vt_1" });
    expect(decodeCursor(`${cursor}=`)).toBeNull();
    expect(decodeCursor(`${cursor}$`)).toBeNull();
    expect(decodeCursor(`*${cursor.slice(1)}`)).toBeNull();
  });
});

describe("estimateSecondsRemaining", () => {
  it.each([TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED])(
    "is 0 once the task is %s",
    (status) => {
      expect(estimateSecondsRemaining(taskRecord({ status, estimatedTotalSeconds: 300 }), T0)).toBe(
        0,
      );
    },
  );

  it("is null when the upstream gave no estimate", () => {
    expect(estimateSecondsRemaining(taskRecord({ progress: 50 }), T0 + 10_000)).toBeNull();
  });

  it("is the upstream's whole-job estimate minus the time elapsed, rounded up", () => {
    const task = taskRecord({ estimatedTotalSeconds: 120 });
    expect(estimateSecondsRemaining(task, T0)).toBe(120);
    expect(estimateSecondsRemaining(task, T0 + 30_000)).toBe(90);
    expect(estimateSecondsRemaining(task, T0 + 30_500)).toBe(90);
    expect(estimateSecondsRemaining(task, T0 + 119_001)).toBe(1);
  });

  it("does not count a clock behind createdAt as negative elapsed time", () => {
    expect(estimateSecondsRemaining(taskRecord({ estimatedTotalSeconds: 60 }), T0 - 5000)).toBe(60);
  });

  it("extrapolates from progress once the estimate is overrun", () => {
    const task = taskRecord({ estimatedTotalSeconds: 60, progress: 75 });
    // 90 s for 75 %: the remaining 25 % take another 30 s.
    expect(estimateSecondsRemaining(task, T0 + 90_000)).toBe(30);
  });

  it("is null once the estimate is overrun and there is no progress to extrapolate from", () => {
    expect(
      estimateSecondsRemaining(taskRecord({ estimatedTotalSeconds: 60, progress: 0 }), T0 + 90_000),
    ).toBeNull();
  });
});

describe("TaskService", () => {
  let store: SqliteTaskStore;
  let service: TaskService;

  beforeEach(() => {
    store = new SqliteTaskStore(":memory:");
    service = new TaskService(store);
  });

  afterEach(async () => {
    await store.close();
  });

  async function listError(args: Parameters<TaskService["list"]>[1]): Promise<BadUserInputError> {
    try {
      await service.list(ALICE, args);
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      return error as BadUserInputError;
    }
    throw new Error("expected list to be refused");
  }

  it.each([0, -1, 101, 2.5, Number.NaN])(
    "refuses first = %p, naming the path first",
    async (first) => {
      expect((await listError({ first })).fields).toEqual([
        { path: "first", message: "must be between 1 and 100" },
      ]);
    },
  );

  it.each([1, 100])("accepts first = %i", async (first) => {
    await expect(service.list(ALICE, { first })).resolves.toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it("refuses a cursor it did not make, naming the path after", async () => {
    expect((await listError({ first: 10, after: "garbage" })).fields).toEqual([
      { path: "after", message: "is not a cursor returned by this API" },
    ]);
  });

  it("reports a bad first and a bad cursor together", async () => {
    const { fields } = await listError({ first: 0, after: "garbage" });
    expect(fields.map((field) => field.path)).toEqual(["first", "after"]);
  });

  it("lists only the caller's tasks, newest first, with cursors that page on", async () => {
    for (let i = 0; i < 3; i += 1) {
      await insert(store, taskRecord({ id: `vt_a${i}`, createdAt: new Date(T0 + i * 1000) }));
    }
    await insert(
      store,
      taskRecord({ id: "vt_b0", ownerId: BOB.id, createdAt: new Date(T0 + 9e3) }),
    );

    const first = await service.list(ALICE, { first: 2 });
    expect(first.edges.map((edge) => edge.node.id)).toEqual(["vt_a2", "vt_a1"]);
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0].cursor,
      endCursor: first.edges[1].cursor,
    });

    const second = await service.list(ALICE, { first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.node.id)).toEqual(["vt_a0"]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("filters by status", async () => {
    await insert(store, taskRecord({ id: "vt_run", status: TaskStatus.PROCESSING }));
    await insert(store, taskRecord({ id: "vt_done", status: TaskStatus.SUCCEEDED }));
    const page = await service.list(ALICE, { first: 10, status: [TaskStatus.SUCCEEDED] });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(["vt_done"]);
  });

  it("finds a task for its owner", async () => {
    await insert(store, taskRecord({ id: "vt_mine" }));
    expect((await service.findOwned(ALICE, "vt_mine"))?.id).toBe("vt_mine");
  });

  it("hides another owner's task exactly as it hides a task that does not exist", async () => {
    await insert(store, taskRecord({ id: "vt_alice" }));
    expect(await service.findOwned(BOB, "vt_alice")).toBeNull();
    expect(await service.findOwned(BOB, "vt_nobody")).toBeNull();
  });
});
