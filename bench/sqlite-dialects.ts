/**
 * Would one store over Kysely (SQLite and PostgreSQL dialects) slow the SQLite hot path? Times the
 * poller's two store calls, `get(id)` and `update` (version compare-and-set), N times each on one
 * SQLite file: the current store (prepared statements, reused) against Kysely's SQLite dialect over
 * the same better-sqlite3 driver, both as the current store does it (read, merge and write in one
 * transaction) and as one implementation for both engines would (a single UPDATE ... RETURNING).
 *
 *   node -r ts-node/register/transpile-only bench/sqlite-dialects.ts [N] [rounds]
 *
 * Not part of `npm test` or `npm run bench`; the figures are in the commit that chose.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../src/domain/generation-request";
import { newTask, TaskStatus, type TaskChange, type TaskRecord } from "../src/domain/task";
import { openDatabase } from "../src/store/sqlite/database";
import { SqliteTaskStore } from "../src/store/sqlite/sqlite-task.store";
import { fromRow, type TaskRow } from "../src/store/sqlite/task-rows";

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TASKS = 1000;

/** The gateway's own row type: both contenders read and write the same table. */
type TasksTable = TaskRow;

/** The store operations under test, as each contender implements them. */
interface Contender {
  get(id: string): Promise<TaskRecord | null>;
  update(id: string, expectedVersion: number, change: TaskChange): Promise<TaskRecord | null>;
}

const changeColumns = (change: TaskChange) => ({
  ...(change.progress !== undefined && { progress: change.progress }),
  ...(change.providerStatus !== undefined && { provider_status: change.providerStatus }),
});

function kyselyContenders(file: string): {
  transactional: Contender;
  single: Contender;
  db: Kysely<{ tasks: TasksTable }>;
} {
  const db = new Kysely<{ tasks: TasksTable }>({
    dialect: new SqliteDialect({ database: new Database(file) }),
  });
  const get = async (id: string) => {
    const row = await db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? fromRow(row) : null;
  };
  return {
    db,
    transactional: {
      get,
      update: (id, expectedVersion, change) =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("tasks")
            .selectAll()
            .where("id", "=", id)
            .executeTakeFirst();
          if (!row || row.version !== expectedVersion) return null;
          const updatedAt = Date.now();
          await trx
            .updateTable("tasks")
            .set({ ...changeColumns(change), version: expectedVersion + 1, updated_at: updatedAt })
            .where("id", "=", id)
            .execute();
          return {
            ...fromRow(row),
            ...change,
            version: expectedVersion + 1,
            updatedAt: new Date(updatedAt),
          };
        }),
    },
    single: {
      get,
      update: async (id, expectedVersion, change) => {
        const row = await db
          .updateTable("tasks")
          .set({ ...changeColumns(change), version: sql`version + 1`, updated_at: Date.now() })
          .where("id", "=", id)
          .where("version", "=", expectedVersion)
          .returningAll()
          .executeTakeFirst();
        return row ? fromRow(row) : null;
      },
    },
  };
}

/** Operations per second of `operation` run N times in sequence, as the poller's awaits would. */
async function opsPerSecond(operation: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i += 1) await operation(i); // warm-up: JIT, statement caches
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) await operation(i);
  return N / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-dialects-"));
  const file = path.join(dir, "bench.db");
  const store = new SqliteTaskStore(openDatabase(file));
  const request = {
    kind: GenerationKind.TEXT_TO_VIDEO,
    model: VideoModel.KLING_V3,
    prompt: "a paper boat drifts down a rainy street",
    negativePrompt: null,
    mode: GenerationMode.STD,
    durationSeconds: 5,
    aspectRatio: AspectRatio.LANDSCAPE_16_9,
    firstFrameUrl: null,
    lastFrameUrl: null,
    watermark: null,
  };
  for (let i = 0; i < TASKS; i += 1) {
    const task = newTask(`vt_${i}`, "key:alice", request, new Date());
    await store.admit({ ...task, status: TaskStatus.PROCESSING }, { maxActivePerOwner: 0 });
  }
  const kysely = kyselyContenders(file);
  const contenders: Record<string, Contender> = {
    "current store (prepared statements)": store,
    "Kysely, same transaction": kysely.transactional,
    "Kysely, single UPDATE ... RETURNING": kysely.single,
  };
  const results: Record<string, { get: number[]; update: number[] }> = {};
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, contender] of Object.entries(contenders)) {
      const get = await opsPerSecond((i) => contender.get(`vt_${i % TASKS}`));
      const versions = new Map<string, number>();
      for (let i = 0; i < TASKS; i += 1)
        versions.set(`vt_${i}`, (await contender.get(`vt_${i}`))!.version);
      const update = await opsPerSecond(async (i) => {
        const id = `vt_${i % TASKS}`;
        const stored = await contender.update(id, versions.get(id)!, {
          progress: i % 100,
          providerStatus: "processing",
        });
        if (!stored) throw new Error(`lost the compare-and-set on ${id}`);
        versions.set(id, stored.version);
      });
      (results[name] ??= { get: [], update: [] }).get.push(get);
      results[name].update.push(update);
    }
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`N = ${N} per operation, median of ${ROUNDS} rounds, ops/s`);
  for (const [name, { get, update }] of Object.entries(results)) {
    console.log(
      `${name.padEnd(38)} get ${Math.round(median(get)).toString().padStart(7)}   update ${Math.round(median(update)).toString().padStart(7)}`,
    );
  }
  await kysely.db.destroy();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
