import Database from "better-sqlite3";
import { GENERATE_FROM_TEXT, TASK, type TaskView } from "../helpers/operations";
import {
  startTestGateway,
  tempDatabasePath,
  waitFor,
  type TestGateway,
} from "../helpers/test-gateway";

type Generated = { generateVideoFromText: TaskView };

/**
 * Makes the gateway's own SQLite file refuse writes as a full disk would, from a second connection:
 * recording a task's upstream id, and (with `keysToo`) settling idempotency keys. New tasks can still
 * be written, so the submit gets as far as the upstream.
 */
function failWritesAfterSubmit(db: Database.Database, keysToo: boolean): () => void {
  db.exec(`CREATE TRIGGER full_disk_confirm BEFORE UPDATE OF upstream_task_id ON tasks
             WHEN OLD.upstream_task_id IS NULL AND NEW.upstream_task_id IS NOT NULL
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
  if (keysToo) {
    db.exec(`CREATE TRIGGER full_disk_keys BEFORE UPDATE ON idempotency_keys
               BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
  }
  return () => {
    db.exec("DROP TRIGGER IF EXISTS full_disk_confirm");
    db.exec("DROP TRIGGER IF EXISTS full_disk_keys");
  };
}

describe("the store fails after the upstream accepted a submit", () => {
  let gateway: TestGateway;
  let db: Database.Database;
  let file: ReturnType<typeof tempDatabasePath>;
  beforeEach(async () => {
    file = tempDatabasePath();
    const database = {
      env: { DATABASE_PATH: file.databasePath },
      cleanup: async () => file.cleanup(),
    };
    gateway = await startTestGateway(
      {
        POLL_MAX_BACKOFF_MS: "200",
        // A replay that waited for the first submit's window (its timeout plus 5 s) would now wait
        // ten minutes, far beyond the test's timeout: "at once" needs no clock to check it.
        UPSTREAM_SUBMIT_TIMEOUT_MS: "600000",
      },
      database,
    );
    db = new Database(file.databasePath);
  });
  afterEach(async () => {
    db.close();
    await gateway.stop();
    file.cleanup();
  });

  const finalStatus = (id: string) =>
    waitFor(async () => {
      const { body } = await gateway.gql<{ task: TaskView }>(TASK, { id });
      const task = body.data!.task;
      return ["SUCCEEDED", "FAILED"].includes(task.status) ? task : null;
    });

  it("answers with the task, never an error; the poller confirms it later, created once upstream", async () => {
    const heal = failWritesAfterSubmit(db, false);
    const { body } = await gateway.gql<Generated>(GENERATE_FROM_TEXT, {
      input: { prompt: "a lantern on a full disk" },
    });

    expect(body.errors).toBeUndefined();
    const task = body.data!.generateVideoFromText;
    expect(task).toMatchObject({ status: "QUEUED" });
    expect(gateway.simulator!.stats().acceptedSubmits).toBe(1);

    heal();
    expect((await finalStatus(task.id)).status).toBe("SUCCEEDED");
    expect(gateway.simulator!.stats().acceptedSubmits).toBe(1);
  });

  it("with an idempotencyKey, when no write succeeds after the submit, a retry gets the same task at once", async () => {
    const heal = failWritesAfterSubmit(db, true);
    const submit = () =>
      gateway.gql<Generated>(GENERATE_FROM_TEXT, {
        input: { prompt: "a lantern on a full disk" },
        idempotencyKey: "full-disk-1",
      });
    const first = await submit();
    expect(first.body.errors).toBeUndefined();
    const retry = await submit();
    expect(retry.body.errors).toBeUndefined();
    const id = first.body.data!.generateVideoFromText.id;
    expect(retry.body.data!.generateVideoFromText.id).toBe(id);

    heal();
    expect((await finalStatus(id)).status).toBe("SUCCEEDED");
    expect(gateway.simulator!.stats().acceptedSubmits).toBe(1);
  });
});
