import net from "node:net";
import { spawnGateway } from "../helpers/child-gateway";
import { createScratchDatabase, runOn, TEST_POSTGRES_URL } from "../helpers/postgres";
import { startTestGateway } from "../helpers/test-gateway";

const PASSWORD = "hunter2-do-not-echo";

/** `TEST_POSTGRES_URL` with another database, user or password. */
function urlWith(change: { database?: string; user?: string; password?: string }): string {
  const url = new URL(TEST_POSTGRES_URL);
  if (change.database) url.pathname = `/${change.database}`;
  if (change.user) url.username = change.user;
  if (change.password) url.password = change.password;
  return url.toString();
}

/** The error a gateway's start-up fails with on `url`. */
async function startupError(url: string, env: Record<string, string> = {}): Promise<string> {
  const noCleanup = async () => undefined;
  const started = startTestGateway({ DATABASE_URL: url, ...env }, { env: {}, cleanup: noCleanup });
  const error = await started.then(
    async (gateway) => {
      await gateway.stop();
      throw new Error("the gateway started");
    },
    (caught: Error) => caught,
  );
  return error.message;
}

/** A one-line error that names DATABASE_URL and never shows the URL or its password. */
function expectStartupLine(message: string, url: string, reason: RegExp): void {
  expect(message).not.toContain("\n");
  expect(message).toMatch(/^DATABASE_URL: cannot open the PostgreSQL store: /);
  expect(message).toMatch(reason);
  expect(message).not.toContain(url);
  expect(message).not.toContain(PASSWORD);
}

describe("start-up on PostgreSQL stops with one line naming DATABASE_URL", () => {
  it("when nothing listens: the process exits non-zero at once, and the password is not shown", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const url = `postgres://gateway:${PASSWORD}@127.0.0.1:${port}/gateway`;
    const failure = await spawnGateway({ DATABASE_URL: url, LOG_LEVEL: "error" }).then(
      () => {
        throw new Error("the gateway started");
      },
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^gateway exited \(1\) before ready/);
    const lines = failure.split("\n").filter((line) => line.includes("DATABASE_URL"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^video-gateway failed to start: DATABASE_URL: .*ECONNREFUSED/);
    expect(failure).not.toContain(PASSWORD);
  });

  it("when the server accepts connections but never answers: on the connect timeout", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const url = `postgres://gateway:${PASSWORD}@127.0.0.1:${port}/gateway`;
    try {
      const message = await startupError(url, { DATABASE_CONNECT_TIMEOUT_MS: "300" });
      expectStartupLine(message, url, /timeout/);
    } finally {
      silent.close();
    }
  });

  it("when the database does not exist", async () => {
    const url = urlWith({ database: "vg_test_does_not_exist", password: PASSWORD });
    expectStartupLine(await startupError(url), url, /does not exist \(3D000\)$/);
  });

  it("when the role does not exist", async () => {
    const url = urlWith({ user: "vg_nobody", password: PASSWORD });
    expectStartupLine(await startupError(url), url, /vg_nobody.*\(28000\)$/);
  });

  it("when a migration fails, leaving the database as it was", async () => {
    const database = await createScratchDatabase();
    try {
      await runOn(database.url, "CREATE TABLE tasks (something_else integer)");
      const message = await startupError(database.url);
      expectStartupLine(message, database.url, /"tasks" already exists \(42P07\)$/);
      const { rows } = await runOn(database.url, "SELECT to_regclass('schema_migrations') AS t");
      expect(rows[0].t).toBeNull();
    } finally {
      await database.drop();
    }
  });
});
