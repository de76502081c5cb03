import { createLogger } from "../../src/observability/logger";
import { PostgresTaskStore } from "../../src/store/postgres/postgres-task.store";
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
