import { GENERATE_FROM_TEXT, TASKS } from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";
import type { SimulatedFault } from "../../src/simulator/simulator.faults";

describe("upstream faults on submit", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ UPSTREAM_SUBMIT_TIMEOUT_MS: "300" });
  });
  afterAll(() => gateway.stop());
  afterEach(() => gateway.simulator!.faults.clear());

  // Every row has four entries: jest takes a fourth missing parameter for a `done` callback.
  const cases: Array<[string, string, SimulatedFault, Record<string, unknown>]> = [
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
    ["502", "UPSTREAM_UNAVAILABLE", { type: "http", status: 502 }, {}],
    ["a malformed answer", "UPSTREAM_UNAVAILABLE", { type: "malformed" }, {}],
    ["a dropped connection", "UPSTREAM_UNAVAILABLE", { type: "drop" }, {}],
    ["no answer before the timeout", "UPSTREAM_UNAVAILABLE", { type: "hang" }, {}],
  ];

  it.each(cases)("%s -> %s and no task is left behind", async (_what, code, fault, extra) => {
    const before = await gateway.gql<{ tasks: { edges: unknown[] } }>(TASKS, { first: 100 });
    gateway.simulator!.faults.add({ route: "submit", fault });
    const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: "a kite" } });
    expect(body.data).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code, ...extra });
    expect(body.errors![0].message).not.toMatch(/Bearer|apiKey/i);
    const after = await gateway.gql<{ tasks: { edges: unknown[] } }>(TASKS, { first: 100 });
    expect(after.body.data!.tasks.edges).toHaveLength(before.body.data!.tasks.edges.length);
  });

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
