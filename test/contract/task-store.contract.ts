import { GenerationKind, GenerationMode, VideoModel } from "../../src/domain/generation-request";
import { TaskErrorCode } from "../../src/domain/error-codes";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import type { IdempotencyClaim, TaskStore } from "../../src/ports/task-store";
import { taskChangeFrom } from "../../src/domain/task-transitions";
import { aTaskRecord, anUpstreamState, insert, T0 } from "../helpers/fixtures";

/** How a contract run gets stores: each test starts from an empty store. */
export interface StoreHarness {
  /** Opens a store on the test's (empty) database. */
  open(): Promise<TaskStore>;
  /** Runs before each test: a fresh, empty database. */
  reset(): Promise<void>;
  /** Runs once after all tests. */
  teardown(): Promise<void>;
}

const ids = (tasks: Array<TaskRecord | null>) => tasks.map((task) => task?.id ?? null);
const HOUR = 3_600_000;

/**
 * The behaviour every TaskStore adapter must have; run against SQLite and PostgreSQL alike, so a
 * test passes on one engine only if it passes on both.
 */
export function describeTaskStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name}: the TaskStore contract`, () => {
    const opened: TaskStore[] = [];

    const open = async () => {
      const store = await harness.open();
      opened.push(store);
      return store;
    };

    beforeEach(() => harness.reset());

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    afterAll(() => harness.teardown());

    it("gives back every field it was given", async () => {
      const store = await open();
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
      await insert(store, task);
      expect(await store.get("vt_full")).toStrictEqual(task);
    });

    it("gives back a video without thumbnail or expiry, and an error", async () => {
      const store = await open();
      const withVideo = aTaskRecord({
        id: "vt_video",
        status: TaskStatus.SUCCEEDED,
        video: { url: "https://v.example/x.mp4", thumbnailUrl: null, expiresAt: null },
      });
      const failed = aTaskRecord({
        id: "vt_failed",
        status: TaskStatus.FAILED,
        error: { code: TaskErrorCode.GENERATION_FAILED, message: "content policy" },
        completedAt: new Date(T0 + 5000),
      });
      await insert(store, withVideo);
      await insert(store, failed);
      expect(await store.get("vt_video")).toStrictEqual(withVideo);
      expect(await store.get("vt_failed")).toStrictEqual(failed);
    });

    it("answers null for a task it does not have", async () => {
      expect(await (await open()).get("vt_missing")).toBeNull();
    });

    it("refuses a second task with the same id", async () => {
      const store = await open();
      const task = aTaskRecord();
      await insert(store, task);
      await expect(
        store.admit(aTaskRecord({ upstreamTaskId: "task_other" }), { maxActivePerOwner: 0 }),
      ).rejects.toBeDefined();
      expect(await store.get(task.id)).toStrictEqual(task);
    });

    it("getMany answers in the order asked, with null for unknown ids and repeats kept", async () => {
      const store = await open();
      await insert(store, aTaskRecord({ id: "vt_a" }));
      await insert(store, aTaskRecord({ id: "vt_b" }));
      expect(ids(await store.getMany(["vt_b", "vt_x", "vt_a", "vt_b"]))).toEqual([
        "vt_b",
        null,
        "vt_a",
        "vt_b",
      ]);
      expect(await store.getMany([])).toEqual([]);
      expect(ids(await store.getMany(["vt_a"]))).toEqual(["vt_a"]);
      expect(await store.getMany(["vt_x"])).toEqual([null]);
    });

    it("getMany answers a full page of ids in one call, in the order asked", async () => {
      const store = await open();
      const all = Array.from({ length: 120 }, (_, i) => `vt_${String(i).padStart(3, "0")}`);
      for (const id of all) await insert(store, aTaskRecord({ id }));
      const asked = [...all].reverse();
      expect(ids(await store.getMany(asked))).toEqual(asked);
    });

    it("keeps every time to the millisecond, whatever the millisecond", async () => {
      const store = await open();
      const at = (ms: number) => new Date(T0 + ms);
      const task = aTaskRecord({
        status: TaskStatus.SUCCEEDED,
        createdAt: at(999),
        updatedAt: at(1001),
        completedAt: at(86_399_999),
        video: { url: "https://v.example/x.mp4", thumbnailUrl: null, expiresAt: at(7) },
      });
      await insert(store, task);
      expect(await store.get(task.id)).toStrictEqual(task);
    });

    describe("update", () => {
      it("applies the change, bumps the version by one and moves updatedAt", async () => {
        const store = await open();
        await insert(store, aTaskRecord());
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
        const store = await open();
        await insert(store, aTaskRecord());
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
        const store = await open();
        await insert(store, aTaskRecord());
        await store.update("vt_1", 1, { progress: 10 });
        const current = await store.get("vt_1");

        expect(
          await store.update("vt_1", 1, { progress: 99, status: TaskStatus.FAILED }),
        ).toBeNull();
        expect(await store.update("vt_1", 3, { progress: 99 })).toBeNull();
        expect(await store.get("vt_1")).toStrictEqual(current);
      });

      it("answers null for a task it does not have", async () => {
        expect(await (await open()).update("vt_missing", 1, { progress: 1 })).toBeNull();
      });

      it("of concurrent updates from two stores with one expected version, exactly one wins", async () => {
        const stores = [await open(), await open()];
        await insert(stores[0], aTaskRecord());
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            stores[i % 2].update("vt_1", 1, { progress: i + 1 }),
          ),
        );
        const winners = results.filter((task) => task !== null);
        expect(winners).toHaveLength(1);
        expect(await stores[1].get("vt_1")).toStrictEqual(winners[0]);
        expect(winners[0]!.version).toBe(2);
      });

      it("loses no change when two stores read, change and retry concurrently", async () => {
        const stores = [await open(), await open()];
        await insert(stores[0], aTaskRecord());
        const bump = async (store: TaskStore) => {
          for (;;) {
            const current = (await store.get("vt_1"))!;
            const stored = await store.update("vt_1", current.version, {
              progress: current.progress + 1,
            });
            if (stored) return;
          }
        };
        await Promise.all(Array.from({ length: 20 }, (_, i) => bump(stores[i % 2])));
        expect(await stores[0].get("vt_1")).toMatchObject({ progress: 20, version: 21 });
      });

      it("changes only the fields given: absent ones keep their value", async () => {
        const store = await open();
        const video = { url: "https://v.example/x.mp4", thumbnailUrl: null, expiresAt: null };
        await insert(
          store,
          aTaskRecord({ status: TaskStatus.SUCCEEDED, video, estimatedTotalSeconds: 9 }),
        );
        const stored = await store.update("vt_1", 1, { providerStatus: "completed" });
        expect(stored).toMatchObject({ video, estimatedTotalSeconds: 9, status: "SUCCEEDED" });
      });
    });

    describe("listByOwner", () => {
      it("lists only that owner's tasks, newest first", async () => {
        const store = await open();
        await insert(store, aTaskRecord({ id: "vt_old", createdAt: new Date(T0) }));
        await insert(store, aTaskRecord({ id: "vt_new", createdAt: new Date(T0 + 2000) }));
        await insert(store, aTaskRecord({ id: "vt_mid", createdAt: new Date(T0 + 1000) }));
        await insert(store, aTaskRecord({ id: "vt_bob", ownerId: "key:bob" }));
        const page = await store.listByOwner("key:alice", { first: 10 });
        expect(ids(page.tasks)).toEqual(["vt_new", "vt_mid", "vt_old"]);
        expect(page.hasNextPage).toBe(false);
        expect(ids((await store.listByOwner("key:carol", { first: 10 })).tasks)).toEqual([]);
      });

      it("pages through 25 tasks ten at a time: 10, 10, 5, each task once", async () => {
        const store = await open();
        for (let i = 0; i < 25; i += 1) {
          const id = `vt_${String(i).padStart(2, "0")}`;
          // Pairs share a createdAt, so the id has to break ties for the paging to be exact.
          await insert(
            store,
            aTaskRecord({ id, createdAt: new Date(T0 + Math.floor(i / 2) * 1000) }),
          );
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
        const store = await open();
        for (const id of ["vt_b", "vt_c", "vt_a"]) await insert(store, aTaskRecord({ id }));
        const first = await store.listByOwner("key:alice", { first: 1 });
        expect(ids(first.tasks)).toEqual(["vt_c"]);
        const rest = await store.listByOwner("key:alice", { first: 5, after: first.tasks[0] });
        expect(ids(rest.tasks)).toEqual(["vt_b", "vt_a"]);
      });

      it("orders ids bytewise, as the cursor compares them: upper case before lower case", async () => {
        const store = await open();
        for (const id of ["vt_a", "vt_B", "vt_b"]) await insert(store, aTaskRecord({ id }));
        const first = await store.listByOwner("key:alice", { first: 1 });
        expect(ids(first.tasks)).toEqual(["vt_b"]);
        const rest = await store.listByOwner("key:alice", { first: 5, after: first.tasks[0] });
        expect(ids(rest.tasks)).toEqual(["vt_a", "vt_B"]);
      });

      it("has no next page when the page ends exactly at the last task", async () => {
        const store = await open();
        await insert(store, aTaskRecord({ id: "vt_a" }));
        await insert(store, aTaskRecord({ id: "vt_b" }));
        expect((await store.listByOwner("key:alice", { first: 2 })).hasNextPage).toBe(false);
      });

      it("filters by status, and takes an empty filter as no filter", async () => {
        const store = await open();
        await insert(store, aTaskRecord({ id: "vt_q", status: TaskStatus.QUEUED }));
        await insert(store, aTaskRecord({ id: "vt_s", status: TaskStatus.SUCCEEDED }));
        await insert(store, aTaskRecord({ id: "vt_f", status: TaskStatus.FAILED }));
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

    it("listActiveIds answers the queued and processing tasks of every owner, oldest first", async () => {
      const store = await open();
      await insert(
        store,
        aTaskRecord({ id: "vt_p", status: TaskStatus.PROCESSING, createdAt: new Date(T0 + 2) }),
      );
      await insert(
        store,
        aTaskRecord({ id: "vt_q", ownerId: "key:bob", createdAt: new Date(T0 + 1) }),
      );
      for (const status of [TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED]) {
        await insert(store, aTaskRecord({ id: `vt_${status}`, status, createdAt: new Date(T0) }));
      }
      expect(await store.listActiveIds()).toEqual(["vt_q", "vt_p"]);
    });

    it("keeps everything when opened again", async () => {
      const first = await open();
      const task = aTaskRecord({ estimatedTotalSeconds: 42 });
      await insert(first, task);
      const updated = await first.update(task.id, 1, {
        status: TaskStatus.PROCESSING,
        progress: 5,
      });
      await first.close();
      const second = await open();
      expect(await second.get(task.id)).toStrictEqual(updated);
      expect(await second.listActiveIds()).toEqual([task.id]);
    });

    it("stores a change made from an upstream answer whose strings carry NUL, controls and lone surrogates", async () => {
      const store = await open();
      const task = aTaskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing" });
      await insert(store, task);
      const change = taskChangeFrom(
        task,
        anUpstreamState({
          status: TaskStatus.FAILED,
          providerStatus: "fail\u0000ed",
          error: { code: "x", message: "moderation\u0000 refused \u001b\ud800", type: null },
        }),
        new Date(T0 + 1000),
      )!;
      const stored = await store.update(task.id, 1, change);
      expect(stored).toMatchObject({
        version: 2,
        status: TaskStatus.FAILED,
        providerStatus: "failed",
        error: { message: "moderation refused \ufffd" },
      });
      expect(await store.get(task.id)).toStrictEqual(stored);
    });

    it("confirmSubmit records the upstream id once, without a new version", async () => {
      const store = await open();
      await insert(store, aTaskRecord({ upstreamTaskId: null }));
      await store.confirmSubmit("vt_1", "task_A");
      await store.confirmSubmit("vt_1", "task_B");
      expect(await store.get("vt_1")).toMatchObject({ upstreamTaskId: "task_A", version: 1 });
    });

    describe("the upstream's denials of a task", () => {
      it("keeps the first denial's time, without a new version, until cleared", async () => {
        const store = await open();
        await insert(store, aTaskRecord());
        const first = new Date(T0 + 1000);
        expect(await store.markUpstreamMissing("vt_1", first)).toEqual(first);
        expect(await store.markUpstreamMissing("vt_1", new Date(T0 + 9000))).toEqual(first);
        expect(await store.get("vt_1")).toMatchObject({ upstreamMissingSince: first, version: 1 });

        await store.clearUpstreamMissing("vt_1");
        expect(await store.get("vt_1")).toMatchObject({ upstreamMissingSince: null, version: 1 });
        const again = new Date(T0 + 20_000);
        expect(await store.markUpstreamMissing("vt_1", again)).toEqual(again);
      });

      it("answers null for a task it does not have", async () => {
        const store = await open();
        expect(await store.markUpstreamMissing("vt_none", new Date(T0))).toBeNull();
      });

      it("keeps the first denial through a status update and when opened again", async () => {
        const first = await open();
        await insert(first, aTaskRecord());
        const since = new Date(T0 + 1000);
        await first.markUpstreamMissing("vt_1", since);
        await first.update("vt_1", 1, { status: TaskStatus.PROCESSING, progress: 5 });
        await first.close();
        const second = await open();
        expect((await second.get("vt_1"))!.upstreamMissingSince).toEqual(since);
      });
    });

    it("answers a ping, and closes more than once without complaint", async () => {
      const store = await open();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    describe("admit: the active-task quota", () => {
      const active = (i: number, ownerId = "key:alice") =>
        aTaskRecord({ id: `vt_${ownerId}_${i}`, ownerId, upstreamTaskId: null });

      it("refuses the owner's next task at the limit, counting only unfinished tasks", async () => {
        const store = await open();
        await insert(store, active(1));
        await insert(store, aTaskRecord({ id: "vt_done", status: TaskStatus.SUCCEEDED }));
        expect(await store.admit(active(2), { maxActivePerOwner: 2 })).toEqual({
          outcome: "admitted",
        });
        expect(await store.admit(active(3), { maxActivePerOwner: 2 })).toEqual({
          outcome: "over-quota",
        });
        expect(await store.get(active(3).id)).toBeNull();
        expect(await store.admit(active(1, "key:bob"), { maxActivePerOwner: 2 })).toEqual({
          outcome: "admitted",
        });
      });

      it("admits exactly the limit per owner among concurrent admits of several owners from three stores", async () => {
        const stores = [await open(), await open(), await open()];
        const owners = ["key:alice", "key:bob"];
        const results = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            stores[i % 3].admit(active(i, owners[i % 2]), { maxActivePerOwner: 4 }),
          ),
        );
        expect(results.filter((r) => r.outcome === "admitted")).toHaveLength(8);
        for (const owner of owners) {
          expect((await stores[0].listByOwner(owner, { first: 100 })).tasks).toHaveLength(4);
        }
      });

      it("admits exactly the limit out of many concurrent admits, however they interleave", async () => {
        const stores = [await open(), await open()];
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            stores[i % 2].admit(active(i), { maxActivePerOwner: 5 }),
          ),
        );
        expect(results.filter((r) => r.outcome === "admitted")).toHaveLength(5);
        expect(results.filter((r) => r.outcome === "over-quota")).toHaveLength(7);
        const page = await stores[0].listByOwner("key:alice", { first: 100 });
        expect(page.tasks).toHaveLength(5);
      });
    });

    describe("admit: idempotency keys", () => {
      const claim = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
        key: "k",
        requestHash: "h",
        expiresAt: new Date(Date.now() + 24 * HOUR),
        claimedBy: "instance-a",
        ...overrides,
      });
      const admitWith = (store: TaskStore, id: string, c: IdempotencyClaim, max = 0) =>
        store.admit(aTaskRecord({ id, upstreamTaskId: null }), {
          maxActivePerOwner: max,
          idempotency: c,
        });

      it("writes the key with its task; the same key and input then replays it", async () => {
        const store = await open();
        expect(await admitWith(store, "vt_a", claim())).toEqual({ outcome: "admitted" });
        const key = await store.findKey("key:alice", "k", new Date(T0));
        expect(key).toEqual({
          requestHash: "h",
          taskId: "vt_a",
          state: "submitting",
          claimedBy: "instance-a",
          claimedAt: new Date(T0),
        });
        expect(await admitWith(store, "vt_b", claim({ claimedBy: "instance-b" }))).toEqual({
          outcome: "replay",
          key,
        });
        expect(await store.get("vt_b")).toBeNull();
      });

      it("refuses the same key with another input, and keeps keys per owner", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim());
        expect(await admitWith(store, "vt_b", claim({ requestHash: "other" }))).toEqual({
          outcome: "conflict",
        });
        expect(await store.findKey("key:bob", "k", new Date(T0))).toBeNull();
      });

      it("answers a replay before the quota: a full owner still gets the task its key names", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim(), 1);
        const again = await admitWith(store, "vt_b", claim(), 1);
        expect(again.outcome).toBe("replay");
      });

      it("settles a key; settling names the task, so a stale claim settles nothing", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim());
        await store.settleKey("key:alice", "k", "vt_other");
        expect((await store.findKey("key:alice", "k", new Date(T0)))!.state).toBe("submitting");
        await store.settleKey("key:alice", "k", "vt_a");
        expect((await store.findKey("key:alice", "k", new Date(T0)))!.state).toBe("settled");
      });

      it("forgets a key at its expiry: a new admit then writes a new task", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim({ expiresAt: new Date(Date.now() - 1) }));
        expect(await store.findKey("key:alice", "k", new Date())).toBeNull();
        expect(await admitWith(store, "vt_b", claim())).toEqual({ outcome: "admitted" });
        expect((await store.findKey("key:alice", "k", new Date(T0)))!.taskId).toBe("vt_b");
      });

      it("discard removes the task and the key naming it, so the key is free again", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim());
        await store.discard("vt_a");
        expect(await store.get("vt_a")).toBeNull();
        expect(await store.findKey("key:alice", "k", new Date(T0))).toBeNull();
        expect(await admitWith(store, "vt_b", claim())).toEqual({ outcome: "admitted" });
      });

      it("purges expired keys and keeps live ones", async () => {
        const store = await open();
        await admitWith(store, "vt_a", claim({ key: "old", expiresAt: new Date(T0 + HOUR) }));
        await admitWith(store, "vt_b", claim({ key: "new", expiresAt: new Date(T0 + 48 * HOUR) }));
        expect(await store.purgeExpiredKeys(new Date(T0 + 2 * HOUR))).toBe(1);
        expect(await store.findKey("key:alice", "new", new Date(T0))).not.toBeNull();
        expect(await store.findKey("key:alice", "old", new Date(T0))).toBeNull();
      });

      it("of concurrent admits of one key, exactly one writes a task", async () => {
        const stores = [await open(), await open()];
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => admitWith(stores[i % 2], `vt_${i}`, claim())),
        );
        expect(results.filter((r) => r.outcome === "admitted")).toHaveLength(1);
        expect(results.filter((r) => r.outcome === "replay")).toHaveLength(7);
      });
    });
  });
}
