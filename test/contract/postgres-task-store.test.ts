import { TaskStatus } from "../../src/domain/task";
import { createLogger } from "../../src/observability/logger";
import { MIGRATIONS } from "../../src/store/postgres/migrations";
import { PostgresTaskStore } from "../../src/store/postgres/postgres-task.store";
import { ACTIVE_IN, listByOwnerQuery } from "../../src/store/postgres/task-rows";
import { createScratchDatabase, runOn, type ScratchDatabase } from "../helpers/postgres";
import { describeTaskStoreContract } from "./task-store.contract";

/** Generous limits: these tests are about behaviour, not about timeouts. */
export const STORE_OPTIONS = {
  poolSize: 4,
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 10_000,
  logger: createLogger("silent"),
};

let database: ScratchDatabase | null = null;

const scratch = async () => (database ??= await createScratchDatabase());

describeTaskStoreContract("PostgreSQL", {
  open: async () => PostgresTaskStore.open({ ...STORE_OPTIONS, url: (await scratch()).url }),
  // One database per run; each test starts from no tables at all, so it migrates from scratch too.
  reset: async () =>
    void (await runOn(
      (await scratch()).url,
      "DROP TABLE IF EXISTS idempotency_keys, tasks, schema_migrations",
    )),
  teardown: async () => database?.drop(),
});

describe("PostgresTaskStore on its own database", () => {
  let db: ScratchDatabase;
  const opened: PostgresTaskStore[] = [];
  const open = async () => {
    const store = await PostgresTaskStore.open({ ...STORE_OPTIONS, url: db.url });
    opened.push(store);
    return store;
  };

  beforeEach(async () => (db = await createScratchDatabase()));
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await db.drop();
  });

  it("instances starting together on an empty database migrate it exactly once", async () => {
    await Promise.all([open(), open(), open()]);
    const { rows } = await runOn(db.url, "SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    await open(); // and starting again applies nothing
    expect(
      (await runOn(db.url, "SELECT count(*)::int AS n FROM schema_migrations")).rows[0].n,
    ).toBe(MIGRATIONS.length);
  });

  it("names its connections video-gateway in pg_stat_activity", async () => {
    const store = await open();
    await store.ping();
    const { rows } = await runOn(
      db.url,
      "SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [db.name],
    );
    expect(rows).toEqual([{ application_name: "video-gateway" }]);
  });

  describe("query plans, on 20 000 tasks of 10 owners", () => {
    const plan = async (text: string, values: unknown[]) => {
      const { rows } = await runOn(db.url, `EXPLAIN (FORMAT JSON) ${text}`, values);
      return JSON.stringify(rows[0]["QUERY PLAN"]);
    };

    beforeEach(async () => {
      await open();
      await runOn(
        db.url,
        `INSERT INTO tasks
           SELECT 'vt_' || i, 'key:' || (i % 10), NULL,
                  CASE WHEN i % 7 = 0 THEN 'QUEUED' ELSE 'SUCCEEDED' END, 'x', 0, 1, '{}', NULL,
                  NULL, NULL, timestamptz '2025-06-01' + i * interval '1 second', now(), NULL
             FROM generate_series(1, 20000) AS i`,
      );
      await runOn(db.url, "ANALYZE tasks");
    });

    it("an owner's pages, with or without a cursor and a status filter, read tasks_by_owner in order", async () => {
      const after = { createdAt: new Date("2025-06-01T03:00:00Z"), id: "vt_10800" };
      for (const options of [
        { first: 20 },
        { first: 20, after },
        { first: 20, after, statuses: [TaskStatus.SUCCEEDED, TaskStatus.FAILED] },
      ]) {
        const { text, values } = listByOwnerQuery("key:7", options);
        const shown = await plan(text, values);
        expect(shown).toContain('"Index Name":"tasks_by_owner"');
        expect(shown).not.toContain('"Node Type":"Sort"');
      }
    });

    it("the quota count and the resume list read a partial index of active tasks, not the table", async () => {
      for (const [text, values] of [
        [`SELECT count(*)::int FROM tasks WHERE owner_id = $1 AND ${ACTIVE_IN}`, ["key:3"]],
        [`SELECT id FROM tasks WHERE ${ACTIVE_IN} ORDER BY created_at`, []],
      ] as const) {
        const shown = await plan(text, [...values]);
        // Which of the two the planner takes depends on the statistics; both hold active tasks only.
        expect(shown).toMatch(/"Index Name":"tasks_active(_by_owner)?"/);
        expect(shown).not.toContain('"Node Type":"Seq Scan"');
      }
    });
  });
});
