import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { TaskStatus } from "../../src/domain/task";
import { openDatabase } from "../../src/store/sqlite/database";
import { MIGRATIONS } from "../../src/store/sqlite/migrations";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { aTaskRecord, insert } from "../helpers/fixtures";
import { describeTaskStoreContract } from "./task-store.contract";

let dir = "";
let file = "";

describeTaskStoreContract("SQLite", {
  open: async () => new SqliteTaskStore(file),
  reset: async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-store-"));
    file = path.join(dir, "nested", "gateway.db");
  },
  teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
});

describe("SqliteTaskStore's file", () => {
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-file-"))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("creates the file's directory, and migrating twice changes nothing", async () => {
    const dbFile = path.join(scratch, "a", "b", "gateway.db");
    const first = new SqliteTaskStore(dbFile);
    await first.admit(aTaskRecord(), { maxActivePerOwner: 0 });
    await first.close();
    expect(fs.existsSync(dbFile)).toBe(true);
    const second = new SqliteTaskStore(dbFile);
    expect(await second.get("vt_1")).not.toBeNull();
    await second.close();
    const raw = new Database(dbFile, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      raw.close();
    }
  });

  it("migrates a version-1 file: a pending key whose task exists is kept, one without is dropped", async () => {
    const dbFile = path.join(scratch, "v1.db");
    const raw = new Database(dbFile);
    raw.exec(MIGRATIONS[0]);
    raw.pragma("user_version = 1");
    raw.exec(`INSERT INTO tasks VALUES ('vt_1','key:alice',NULL,'QUEUED','submitted',0,1,
      '{"kind":"TEXT_TO_VIDEO","model":"KLING_V3","prompt":"p","negativePrompt":null,"mode":"STD","durationSeconds":5,"aspectRatio":null,"firstFrameUrl":null,"lastFrameUrl":null,"watermark":null}',
      NULL,NULL,NULL,1,1,NULL)`);
    raw.exec(`INSERT INTO idempotency_keys VALUES ('key:alice','k1','h','vt_1','pending',1,9999999999999),
      ('key:alice','k2','h','vt_gone','pending',1,9999999999999)`);
    raw.close();
    const store = new SqliteTaskStore(dbFile);
    try {
      expect(await store.findKey("key:alice", "k1", new Date(2))).toMatchObject({
        taskId: "vt_1",
        state: "submitting",
        claimedBy: "",
      });
      expect(await store.findKey("key:alice", "k2", new Date(2))).toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe("SqliteTaskStore's prepared statements", () => {
  it("are prepared once for batches and filters of any size: no SQL text is built per call", async () => {
    const db = openDatabase(":memory:");
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
    const store = new SqliteTaskStore(db);
    try {
      for (let i = 0; i < 30; i++) await insert(store, aTaskRecord({ id: `vt_${i}` }));
      const statuses = Object.values(TaskStatus);
      const readAll = async (sizes: number[]) => {
        for (const size of sizes) {
          const ids = Array.from({ length: size }, (_, i) => `vt_${i}`);
          expect((await store.getMany(ids)).map((task) => task?.id)).toEqual(ids);
          const filter = { first: 5, statuses: statuses.slice(0, (size % statuses.length) + 1) };
          await store.listByOwner("key:alice", filter);
        }
      };
      await readAll([1, 2]);
      const afterFirstRound = prepared.length;
      await readAll([3, 7, 12, 20, 30]);
      expect(prepared.slice(afterFirstRound)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
