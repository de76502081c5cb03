import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { GenerationKind, GenerationMode, VideoModel } from "../../src/generation/generation.model";
import { MIGRATIONS } from "../../src/store/sqlite/migrations";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import type { TaskStore } from "../../src/store/task-store";
import { TaskStatus, type TaskRecord } from "../../src/tasks/task.model";
import { aTaskRecord, T0 } from "../helpers/fixtures";

const ids = (tasks: Array<TaskRecord | null>) => tasks.map((task) => task?.id ?? null);

describe("SqliteTaskStore", () => {
  let dir: string;
  let file: string;
  const opened: TaskStore[] = [];

  const open = () => {
    const store = new SqliteTaskStore(file);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-store-"));
    file = path.join(dir, "nested", "gateway.db");
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates the file's directory and gives back every field it was given", async () => {
    const store = open();
    const task = aTaskRecord({
      id: "vt_full",
      upstreamTaskId: "task_01K9S419324DREZFBWNSVXYR6H",
      status: TaskStatus.SUCCEEDED,
      providerStatus: "completed",
      progress: 100,
      version: 7,
      request: {
        kind: GenerationKind.IMAGE_TO_VIDEO,
        model: VideoModel.KLING_V3,
        prompt: 'she smiles — 微笑 🎬 "quoted"',
        negativePrompt: "blur",
        mode: GenerationMode.PRO,
        durationSeconds: 10,
        aspectRatio: null,
        firstFrameUrl: "https://cdn.example.com/a.png",
        lastFrameUrl: "https://cdn.example.com/b.png",
        watermark: false,
      },
      video: {
        url: "https://upload.apimart.ai/f/video/x.mp4",
        thumbnailUrl: "https://upload.apimart.ai/f/video/x.jpg",
        expiresAt: new Date(T0 + 86_400_000),
      },
      estimatedTotalSeconds: 600,
      createdAt: new Date(T0 + 1),
      updatedAt: new Date(T0 + 2),
      completedAt: new Date(T0 + 3),
    });
    await store.insert(task);
    expect(fs.existsSync(file)).toBe(true);
    expect(await store.get("vt_full")).toStrictEqual(task);
  });

  it("gives back a video without thumbnail or expiry, and an error", async () => {
    const store = open();
    const withVideo = aTaskRecord({
      id: "vt_video",
      status: TaskStatus.SUCCEEDED,
      video: { url: "https://v.example/x.mp4", thumbnailUrl: null, expiresAt: null },
    });
    const failed = aTaskRecord({
      id: "vt_failed",
      status: TaskStatus.FAILED,
      error: { code: "GENERATION_FAILED", message: "content policy" },
      completedAt: new Date(T0 + 5000),
    });
    await store.insert(withVideo);
    await store.insert(failed);
    expect(await store.get("vt_video")).toStrictEqual(withVideo);
    expect(await store.get("vt_failed")).toStrictEqual(failed);
  });

  it("answers null for a task it does not have", async () => {
    expect(await open().get("vt_missing")).toBeNull();
  });

  it("refuses a second task with the same id", async () => {
    const store = open();
    const task = aTaskRecord();
    await store.insert(task);
    // Matched by code: better-sqlite3 builds its errors in the realm that loaded it first, so
    // `toThrow` (an instanceof Error check) misses them when another test file got there first.
    await expect(store.insert(aTaskRecord({ upstreamTaskId: "task_other" }))).rejects.toMatchObject(
      {
        code: "SQLITE_CONSTRAINT_PRIMARYKEY",
      },
    );
    expect(await store.get(task.id)).toStrictEqual(task);
  });

  it("getMany answers in the order asked, with null for unknown ids and repeats kept", async () => {
    const store = open();
    await store.insert(aTaskRecord({ id: "vt_a" }));
    await store.insert(aTaskRecord({ id: "vt_b" }));
    expect(ids(await store.getMany(["vt_b", "vt_x", "vt_a", "vt_b"]))).toEqual([
      "vt_b",
      null,
      "vt_a",
      "vt_b",
    ]);
    expect(await store.getMany([])).toEqual([]);
  });

  describe("update", () => {
    it("applies the change, bumps the version by one and moves updatedAt", async () => {
      const store = open();
      await store.insert(aTaskRecord());
      const before = Date.now();
      const stored = await store.update("vt_1", 1, {
        status: TaskStatus.PROCESSING,
        providerStatus: "processing",
        progress: 40,
        estimatedTotalSeconds: 300,
      });
      expect(stored).toMatchObject({
        status: TaskStatus.PROCESSING,
        providerStatus: "processing",
        progress: 40,
        estimatedTotalSeconds: 300,
        version: 2,
        createdAt: new Date(T0),
      });
      expect(stored!.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(await store.get("vt_1")).toStrictEqual(stored);
    });

    it("stores a video with its expiry and the completion time", async () => {
      const store = open();
      await store.insert(aTaskRecord());
      const video = {
        url: "https://v.example/x.mp4",
        thumbnailUrl: "https://v.example/x.jpg",
        expiresAt: new Date(T0 + 86_400_000),
      };
      await store.update("vt_1", 1, {
        status: TaskStatus.SUCCEEDED,
        video,
        completedAt: new Date(T0 + 60_000),
      });
      expect(await store.get("vt_1")).toMatchObject({
        version: 2,
        video,
        completedAt: new Date(T0 + 60_000),
      });
    });

    it("refuses a stale expectedVersion: answers null and changes nothing", async () => {
      const store = open();
      await store.insert(aTaskRecord());
      await store.update("vt_1", 1, { progress: 10 });
      const current = await store.get("vt_1");

      expect(await store.update("vt_1", 1, { progress: 99, status: TaskStatus.FAILED })).toBeNull();
      expect(await store.update("vt_1", 3, { progress: 99 })).toBeNull();
      expect(await store.get("vt_1")).toStrictEqual(current);
    });

    it("answers null for a task it does not have", async () => {
      expect(await open().update("vt_missing", 1, { progress: 1 })).toBeNull();
    });
  });

  describe("listByOwner", () => {
    it("lists only that owner's tasks, newest first", async () => {
      const store = open();
      await store.insert(aTaskRecord({ id: "vt_old", createdAt: new Date(T0) }));
      await store.insert(aTaskRecord({ id: "vt_new", createdAt: new Date(T0 + 2000) }));
      await store.insert(aTaskRecord({ id: "vt_mid", createdAt: new Date(T0 + 1000) }));
      await store.insert(aTaskRecord({ id: "vt_bob", ownerId: "key:bob" }));
      const page = await store.listByOwner("key:alice", { first: 10 });
      expect(ids(page.tasks)).toEqual(["vt_new", "vt_mid", "vt_old"]);
      expect(page.hasNextPage).toBe(false);
      expect(ids((await store.listByOwner("key:carol", { first: 10 })).tasks)).toEqual([]);
    });

    it("pages through 25 tasks ten at a time: 10, 10, 5, each task once", async () => {
      const store = open();
      for (let i = 0; i < 25; i += 1) {
        const id = `vt_${String(i).padStart(2, "0")}`;
        // Pairs share a createdAt, so the id has to break ties for the paging to be exact.
        await store.insert(aTaskRecord({ id, createdAt: new Date(T0 + Math.floor(i / 2) * 1000) }));
      }
      const seen: string[] = [];
      const sizes: number[] = [];
      const more: boolean[] = [];
      let after: TaskRecord | undefined;
      do {
        const page = await store.listByOwner("key:alice", { first: 10, after });
        seen.push(...page.tasks.map((task) => task.id));
        sizes.push(page.tasks.length);
        more.push(page.hasNextPage);
        after = page.hasNextPage ? page.tasks.at(-1) : undefined;
      } while (after);
      expect(sizes).toEqual([10, 10, 5]);
      expect(more).toEqual([true, true, false]);
      const expected = Array.from(
        { length: 25 },
        (_, i) => `vt_${String(24 - i).padStart(2, "0")}`,
      );
      expect(seen).toEqual(expected);
    });

    it("breaks ties on createdAt by id, descending", async () => {
      const store = open();
      for (const id of ["vt_b", "vt_c", "vt_a"]) await store.insert(aTaskRecord({ id }));
      const first = await store.listByOwner("key:alice", { first: 1 });
      expect(ids(first.tasks)).toEqual(["vt_c"]);
      const rest = await store.listByOwner("key:alice", { first: 5, after: first.tasks[0] });
      expect(ids(rest.tasks)).toEqual(["vt_b", "vt_a"]);
    });

    it("has no next page when the page ends exactly at the last task", async () => {
      const store = open();
      await store.insert(aTaskRecord({ id: "vt_a" }));
      await store.insert(aTaskRecord({ id: "vt_b" }));
      expect((await store.listByOwner("key:alice", { first: 2 })).hasNextPage).toBe(false);
    });

    it("filters by status, and takes an empty filter as no filter", async () => {
      const store = open();
      await store.insert(aTaskRecord({ id: "vt_q", status: TaskStatus.QUEUED }));
      await store.insert(aTaskRecord({ id: "vt_s", status: TaskStatus.SUCCEEDED }));
      await store.insert(aTaskRecord({ id: "vt_f", status: TaskStatus.FAILED }));
      const done = await store.listByOwner("key:alice", {
        first: 10,
        statuses: [TaskStatus.SUCCEEDED, TaskStatus.FAILED],
      });
      expect(ids(done.tasks)).toEqual(["vt_s", "vt_f"]);
      expect(
        (await store.listByOwner("key:alice", { first: 10, statuses: [] })).tasks,
      ).toHaveLength(3);
    });
  });

  it("listActive answers the queued and processing tasks of every owner, oldest first", async () => {
    const store = open();
    await store.insert(
      aTaskRecord({ id: "vt_p", status: TaskStatus.PROCESSING, createdAt: new Date(T0 + 2) }),
    );
    await store.insert(
      aTaskRecord({ id: "vt_q", ownerId: "key:bob", createdAt: new Date(T0 + 1) }),
    );
    for (const status of [TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED]) {
      await store.insert(aTaskRecord({ id: `vt_${status}`, status, createdAt: new Date(T0) }));
    }
    expect(ids(await store.listActive())).toEqual(["vt_q", "vt_p"]);
  });

  it("keeps everything when the same file is opened again, and migrating twice changes nothing", async () => {
    const first = open();
    const task = aTaskRecord({ estimatedTotalSeconds: 42 });
    await first.insert(task);
    const updated = await first.update(task.id, 1, { status: TaskStatus.PROCESSING, progress: 5 });
    await first.close();

    const second = open();
    expect(await second.get(task.id)).toStrictEqual(updated);
    expect(ids(await second.listActive())).toEqual([task.id]);
    await second.insert(aTaskRecord({ id: "vt_2" }));
    await second.close();

    const third = open();
    expect(ids(await third.getMany([task.id, "vt_2"]))).toEqual([task.id, "vt_2"]);
    await third.close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      raw.close();
    }
  });

  it("closes more than once without complaint", async () => {
    const store = open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
