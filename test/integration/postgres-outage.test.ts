import type { Client } from "graphql-ws";
import {
  GENERATE_FROM_TEXT,
  TASK,
  TASK_UPDATED,
  TASKS,
  type TaskView,
} from "../helpers/operations";
import { createScratchDatabase } from "../helpers/postgres";
import { startPrivatePostgres, type PrivatePostgres } from "../helpers/private-postgres";
import {
  startTestGateway,
  waitFor,
  type GraphQLErrorBody,
  type TestGateway,
} from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const ALICE = "alice-secret-0123456789";
/** Far above the timeouts configured below: only a request that truly hangs could lose the race. */
const GENEROUS_MS = 20_000;

type Read = { task: TaskView | null };
type Generated = { generateVideoFromText: TaskView };

const unavailable = expect.objectContaining({
  message: expect.stringContaining("try again"),
  extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 },
});

/** Resolves with `work`'s result, or rejects if it has not settled after GENEROUS_MS. */
async function settlesInTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the request hung")), GENEROUS_MS);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe("when PostgreSQL is down or stops answering", () => {
  let server: PrivatePostgres;
  let gateway: TestGateway;
  let taskId: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const database = await createScratchDatabase(server.url);
    gateway = await startTestGateway(
      {
        GATEWAY_API_KEYS: `alice:${ALICE}`,
        DATABASE_CONNECT_TIMEOUT_MS: "1000",
        DATABASE_STATEMENT_TIMEOUT_MS: "1000",
        // Long enough that the task is still running while the server is away.
        SIMULATOR_PROCESSING_MS: "3000",
      },
      { env: { DATABASE_URL: database.url }, cleanup: database.drop },
    );
    const { body } = await gateway.gql<Generated>(
      GENERATE_FROM_TEXT,
      { input: { prompt: "through an outage" } },
      ALICE,
    );
    taskId = body.data!.generateVideoFromText.id;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    server?.thaw();
    await server?.start().catch(() => undefined); // running already, unless a test failed midway
    await gateway?.stop();
    await server?.destroy();
  });

  const readTask = () => gateway.gql<Read>(TASK, { id: taskId }, ALICE);
  const errorsOf = (answer: { body: { errors?: GraphQLErrorBody[] } }) => answer.body.errors;

  it("while it is down, queries, submits and subscriptions get SERVICE_UNAVAILABLE, and no upstream call is made", async () => {
    await server.stop();
    expect(errorsOf(await readTask())).toEqual([unavailable]);
    expect(errorsOf(await gateway.gql(TASKS, {}, ALICE))).toEqual([unavailable]);

    const submitsBefore = gateway.simulator!.stats().submits;
    const submit = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "lost?" } }, ALICE);
    expect(errorsOf(submit)).toEqual([unavailable]);
    expect(gateway.simulator!.stats().submits).toBe(submitsBefore);

    const client = connect(gateway.wsUrl, ALICE);
    clients.push(client);
    const sub = subscribe(client, TASK_UPDATED, { id: taskId });
    await sub.done;
    expect(sub.errors).toEqual([unavailable]);
  });

  it("once it is back, requests succeed again by themselves and the task it kept finishes", async () => {
    await server.start();
    const task = await waitFor(async () => (await readTask()).body.data?.task, {
      what: "the gateway to reach PostgreSQL again",
      timeoutMs: GENEROUS_MS,
    });
    expect(task.id).toBe(taskId);
    await waitFor(async () => (await readTask()).body.data?.task?.status === "SUCCEEDED", {
      what: "the poller to carry the task to the end",
      timeoutMs: GENEROUS_MS,
    });
  });

  it("when it stops answering, a request fails with SERVICE_UNAVAILABLE within the timeouts instead of hanging, and recovers when it answers", async () => {
    await readTask(); // a pooled connection that will be frozen mid-use, and new ones that hang
    server.freeze();
    const answers = await settlesInTime(Promise.all([readTask(), readTask(), readTask()]));
    for (const answer of answers) expect(errorsOf(answer)).toEqual([unavailable]);
    server.thaw();
    await waitFor(async () => (await readTask()).body.data?.task?.id === taskId, {
      what: "the gateway to recover after the freeze",
      timeoutMs: GENEROUS_MS,
    });
  });
});
