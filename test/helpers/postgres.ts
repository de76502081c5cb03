import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL server tests make their databases on (trust auth for `postgres`, as on CI). */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A database of its own for one test file or gateway, dropped by `drop()`. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a random name on the server at `serverUrl`. */
export async function createScratchDatabase(
  serverUrl = TEST_POSTGRES_URL,
): Promise<ScratchDatabase> {
  const name = `vg_test_${randomBytes(6).toString("hex")}`;
  await runOn(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections still open (a pool being closed, a killed process's sessions).
    drop: () =>
      (dropped ??= runOn(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(
        () => undefined,
      )),
  };
}

/** Runs one statement on its own connection. */
export async function runOn(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}
