import type { Client } from "graphql-ws";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";
import { spawnGateway, type ChildGateway } from "../helpers/child-gateway";
import { GENERATE_FROM_TEXT, TASK_UPDATED, TASKS, type TaskView } from "../helpers/operations";
import {
  postGraphql,
  tempDatabase,
  TEST_STORE_NAME,
  waitFor,
  type TestDatabase,
} from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const CLIENT = "proc-secret-0123456789";
type Updated = { taskUpdated: TaskView };

describe("the gateway as a process", () => {
  let upstream: Simulator;
  let db: TestDatabase;
  const running: ChildGateway[] = [];
  const clients: Client[] = [];

  beforeEach(async () => {
    // The upstream outlives the gateway processes, as the real one does.
    upstream = await startTestSimulator({
      apiKey: "upstream-key",
      queuedMs: 200,
      processingMs: 2500,
    });
    db = await tempDatabase();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    for (const child of running.splice(0)) {
      if (child.process.exitCode === null) child.process.kill("SIGKILL");
      await child.exited;
    }
    await upstream.close();
    await db.cleanup();
  });

  const start = async (env: Record<string, string> = {}) => {
    const child = await spawnGateway({
      APIMART_API_KEY: "upstream-key",
      APIMART_BASE_URL: upstream.url,
      GATEWAY_API_KEYS: `proc:${CLIENT}`,
      ...db.env,
      POLL_INTERVAL_MS: "100",
      POLL_MAX_INTERVAL_MS: "300",
      ...env,
    });
    running.push(child);
    return child;
  };
  const submit = async (gateway: ChildGateway) => {
    const { body } = await postGraphql<{ generateVideoFromText: TaskView }>(
      gateway.url,
      GENERATE_FROM_TEXT,
      { input: { prompt: "a train crossing a bridge" } },
      CLIENT,
    );
    return body.data!.generateVideoFromText;
  };

  it(`after kill -9 mid-task, a restart on the same ${TEST_STORE_NAME} resumes polling and a new subscriber sees the end`, async () => {
    const first = await start();
    const task = await submit(first);
    await waitFor(() => upstream.stats().statusPolls > 0, { what: "a first poll" });
    first.process.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");

    const second = await start();
    const client = connect(second.wsUrl, CLIENT);
    clients.push(client);
    const sub = subscribe<Updated>(client, TASK_UPDATED, { id: task.id });
    await sub.done;
    expect(sub.events[0].taskUpdated.id).toBe(task.id);
    expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
  });

  it("kill -9 while a submit is in flight: after restart the task is there and reconciled, created once upstream", async () => {
    const first = await start();
    upstream.faults.add({ route: "submit", fault: { type: "slow", delayMs: 1500 } });
    const lost = postGraphql(
      first.url,
      GENERATE_FROM_TEXT,
      { input: { prompt: "mid-air" } },
      CLIENT,
    );
    lost.catch(() => undefined);
    await waitFor(() => upstream.stats().submits === 1, {
      what: "the submit to reach the upstream",
    });
    first.process.kill("SIGKILL");
    await first.exited;

    const second = await start();
    const listed = await postGraphql<{ tasks: { edges: Array<{ node: TaskView }> } }>(
      second.url,
      TASKS,
      {},
      CLIENT,
    );
    const [task] = listed.body.data!.tasks.edges.map((edge) => edge.node);
    expect(task.request.prompt).toBe("mid-air");
    const client = connect(second.wsUrl, CLIENT);
    clients.push(client);
    const sub = subscribe<Updated>(client, TASK_UPDATED, { id: task.id });
    await sub.done;
    expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
    expect(upstream.stats().acceptedSubmits).toBe(1);
  });

  it("on SIGTERM, open subscriptions are closed with 1001 and the process exits cleanly, its last log line written", async () => {
    // As `npm start` runs it: outside NODE_ENV=test Apollo would add a signal handler of its own.
    const gateway = await start({ NODE_ENV: "development", LOG_LEVEL: "info" });
    const task = await submit(gateway);
    let closed: { code: number } | undefined;
    const client = connect(gateway.wsUrl, CLIENT, (event) => (closed = event));
    clients.push(client);
    const sub = subscribe<Updated>(client, TASK_UPDATED, { id: task.id });
    await sub.nth(1);
    gateway.process.kill("SIGTERM");
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toContain('"msg":"shutting down"');
    await expect(sub.done).rejects.toBeDefined();
    expect(closed?.code).toBe(1001);
  });
});
