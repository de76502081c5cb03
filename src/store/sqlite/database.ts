import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations";

/** Opens (creating if needed) the gateway's SQLite file in WAL mode and applies pending migrations. */
export function openDatabase(filePath: string): Database.Database {
  if (filePath !== ":memory:") createMissingFolders(path.dirname(path.resolve(filePath)));
  const db = new Database(filePath);
  db.pragma("journal_mode = WAL");
  // NORMAL is durable across a process crash in WAL mode; only an OS crash can lose the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const applied = db.pragma("user_version", { simple: true }) as number;
  db.transaction(() => {
    MIGRATIONS.slice(applied).forEach((sql) => db.exec(sql));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}

/**
 * Creates the missing folders of `dir`, outermost first, one `mkdir` each, so the first failure is
 * thrown. Not `mkdirSync({ recursive: true })`: Node's walk takes ENOENT to mean "the parent is
 * missing", creates the parent (EEXIST, fine) and retries, forever, where a file system answers
 * ENOENT for a parent that exists (procfs: `/proc/nonexistent/x`). That loop runs in C++, so start-up
 * hung at 100 % CPU with no output.
 */
function createMissingFolders(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) fs.mkdirSync(folder);
}

/**
 * Prepares each SQL text once per database: the poller reads and writes tasks on every poll, and
 * better-sqlite3 statements are meant to be reused. Only for SQL texts fixed in the code: a text
 * built per call (a placeholder per item of a list) would fill the cache with statements used once,
 * so lists are passed as one JSON array (`IN (SELECT value FROM json_each(?))`).
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
