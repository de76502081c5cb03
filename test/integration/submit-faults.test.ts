import { GENERATE_FROM_TEXT, TASK, TASKS, type TaskView } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import type { SimulatedFault } from "../../src/simulator/simulator.faults";

type Listed = { tasks: { edges: unknown[] } };

describe("upstream faults on submit", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ UPSTREAM_SUBMIT_TIMEOUT_MS: "300" });
  });
  afterAll(() => gateway.stop());
  afterEach(() => gateway.simulator!.faults.clear());

  const taskCount = async () =>
    (await gateway.gql<Listed>(TASKS, { first: 100 })).body.data!.tasks.edges.length;

  // Every row has four entries: jest takes a fourth missing parameter for a `done` callback.
  const definite: Array<[string, string, SimulatedFault, Record<string, unknown>]> = [
    ["402 payment required", "INSUFFICIENT_UPSTREAM_BALANCE", { type: "http", status: 402 }, {}],
    ["401 (our key refused)", "UPSTREAM_UNAVAILABLE", { type: "http", status: 401 }, {}],
    ["403 (our key lacks access)", "UPSTREAM_UNAVAILABLE", { type: "http", status: 403 }, {}],
    [
      "429 with Retry-After",
      "UPSTREAM_UNAVAILABLE",
      { type: "http", status: 429, retryAfter: "7" },
      { retryAfterSeconds: 7 },
    ],
    ["500", "UPSTREAM_UNAVAILABLE", { type: "http", status: 500 }, { retryAfterSeconds: 5 }],
    [
      "503 with Retry-After",
      "UPSTREAM_UNAVAILABLE",
      { type: "http", status: 503, retryAfter: "3" },
      { retryAfterSeconds: 3 },
    ],
  ];

  it.each(definite)("%s -> %s and no task is left behind", async (_what, code, fault, extra) => {
    const before = await taskCount();
    gateway.simulator!.faults.add({ route: "submit", fault });
    const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "a kite" } });
    expect(body.data).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code, ...extra });
    expect(body.errors![0].extensions).not.toHaveProperty("taskId");
    expect(await taskCount()).toBe(before);
  });

  const unknown: SimulatedFault[] = [
    // A proxy in front of the upstream gave up: the upstream may have created the task or not.
    { type: "http", status: 502 },
    { type: "http", status: 504 },
    { type: "http", status: 502, afterAccept: true },
    { type: "http", status: 504, afterAccept: true },
    { type: "malformed" },
    { type: "drop" },
    { type: "hang" },
    { type: "drop", afterAccept: true },
    { type: "hang", afterAccept: true },
  ];

  it.each(unknown)(
    "an answer lost to %j is UPSTREAM_UNAVAILABLE with the task id, and the task is reconciled, never doubled",
    async (fault) => {
      const acceptedBefore = gateway.simulator!.stats().acceptedSubmits;
      gateway.simulator!.faults.add({ route: "submit", fault });
      const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "a kite" } });
      const error = body.errors![0];
      expect(error.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
      const taskId = error.extensions!.taskId as string;
      expect(taskId).toMatch(/^vt_/);
      const done = await waitFor(async () => {
        const read = await gateway.gql<{ task: TaskView }>(TASK, { id: taskId });
        return read.body.data?.task?.status === "SUCCEEDED" ? read.body.data.task : null;
      });
      expect(done.video?.url).toBeTruthy();
      expect(gateway.simulator!.stats().acceptedSubmits).toBe(acceptedBefore + 1);
    },
  );

  it("the next submit after a fault goes through", async () => {
    gateway.simulator!.faults.add({ route: "submit", fault: { type: "http", status: 503 } });
    await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "a kite" } });
    const { body } = await gateway.gql<{ generateVideoFromText: { status: string } }>(
      GENERATE_FROM_TEXT,
      { input: { prompt: "a kite" } },
    );
    expect(body.data?.generateVideoFromText.status).toBe("QUEUED");
  });
});
