import { waitFor } from "../helpers/wait-for";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";

const BODY = { model: "kling-v3", prompt: "a paper boat drifting down a rainy street" };
const AUTH = { authorization: "Bearer test" };

let sim: Simulator;

beforeEach(async () => {
  sim = await startTestSimulator({ queuedMs: 50, processingMs: 200 });
});
afterEach(() => sim.close());

function submit(signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.url}/v1/videos/generations`, {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify(BODY),
    signal,
  });
}

function poll(taskId: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.url}/v1/tasks/${taskId}?language=en`, { headers: AUTH, signal });
}

async function submitTask(): Promise<string> {
  const json = (await (await submit()).json()) as { data: { task_id: string }[] };
  return json.data[0].task_id;
}

describe("http faults", () => {
  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [402, "payment_required"],
    [403, "permission_error"],
    [429, "rate_limit_error"],
    [500, "server_error"],
    [502, "bad_gateway"],
    [503, "server_error"],
    [504, "server_error"],
  ] as const)("answers %i with error type %s and creates no task", async (status, type) => {
    sim.faults.add({ route: "submit", fault: { type: "http", status } });
    const res = await submit();
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      error: { code: status, message: expect.any(String), type },
    });
    expect(sim.stats()).toMatchObject({ submits: 1, acceptedSubmits: 0 });
  });

  it("sends Retry-After exactly as given, in seconds or as an HTTP date", async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    sim.faults.add({ route: "status", fault: { type: "http", status: 429, retryAfter: "7" } });
    sim.faults.add({ route: "status", fault: { type: "http", status: 503, retryAfter: date } });
    const taskId = await submitTask();
    expect((await poll(taskId)).headers.get("retry-after")).toBe("7");
    expect((await poll(taskId)).headers.get("retry-after")).toBe(date);
    expect((await poll(taskId)).headers.get("retry-after")).toBeNull();
  });

  it("applies a fault to exactly `times` matching requests, then answers normally", async () => {
    sim.faults.add({ route: "submit", times: 2, fault: { type: "http", status: 500 } });
    expect((await submit()).status).toBe(500);
    expect((await submit()).status).toBe(500);
    expect((await submit()).status).toBe(200);
    expect(sim.faults.pending).toBe(0);
  });

  it("applies faults in the order added, each only to its route", async () => {
    sim.faults.add({ route: "status", fault: { type: "http", status: 502 } });
    sim.faults.add({ route: "any", fault: { type: "http", status: 503 } });
    sim.faults.add({ route: "any", fault: { type: "http", status: 500 } });
    expect((await submit()).status).toBe(503);
    const res = await poll("task_01K9S419324DREZFBWNSVXYR6H");
    expect(res.status).toBe(502);
    expect((await submit()).status).toBe(500);
    expect((await submit()).status).toBe(200);
  });

  it("forgets every pending fault on clear()", async () => {
    sim.faults.add({ route: "any", times: 5, fault: { type: "http", status: 500 } });
    sim.faults.clear();
    expect(sim.faults.pending).toBe(0);
    expect((await submit()).status).toBe(200);
  });

  it("rejects a rule it cannot apply", () => {
    expect(() =>
      sim.faults.add({ route: "submit", times: 0, fault: { type: "malformed" } }),
    ).toThrow(RangeError);
    expect(() =>
      sim.faults.add({ route: "submit", fault: { type: "slow", delayMs: Number.NaN } }),
    ).toThrow(RangeError);
  });
});

describe("transport faults", () => {
  it("answers 200 with a body that is not valid JSON on malformed", async () => {
    const taskId = await submitTask();
    sim.faults.add({ route: "status", fault: { type: "malformed" } });
    const res = await poll(taskId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it("closes the connection without an answer on drop, creating no task", async () => {
    sim.faults.add({ route: "submit", fault: { type: "drop" } });
    await expect(submit()).rejects.toThrow();
    expect(sim.stats()).toMatchObject({ submits: 1, acceptedSubmits: 0 });
    expect((await submit()).status).toBe(200);
  });

  it("drops a status poll once, with no retry reaching the simulator", async () => {
    const taskId = await submitTask();
    sim.faults.add({ route: "status", fault: { type: "drop" } });
    await expect(poll(taskId)).rejects.toThrow();
    expect(sim.stats().pollsByTask).toEqual({ [taskId]: 1 });
    expect((await poll(taskId)).status).toBe(200);
  });

  it("never answers on hang, so the client times out, creating no task", async () => {
    sim.faults.add({ route: "submit", fault: { type: "hang" } });
    await expect(submit(AbortSignal.timeout(200))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(sim.stats()).toMatchObject({ submits: 1, acceptedSubmits: 0 });
  });

  it("answers normally after delayMs on slow", async () => {
    const taskId = await submitTask();
    sim.faults.add({ route: "status", fault: { type: "slow", delayMs: 300 } });
    const started = Date.now();
    const res = await poll(taskId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 200, data: { id: taskId } });
  });

  it.each<["drop" | "hang", () => AbortSignal | undefined]>([
    ["drop", () => undefined],
    ["hang", () => AbortSignal.timeout(200)],
  ])(
    "creates the task and then gives no answer on %s afterAccept: the outcome is unknown to the client",
    async (type, signal) => {
      sim.faults.add({ route: "submit", fault: { type, afterAccept: true } });
      await expect(submit(signal())).rejects.toThrow();
      const { acceptedSubmits, acceptedTaskIds, requests } = sim.stats();
      expect(acceptedSubmits).toBe(1);
      expect(requests).toEqual([
        {
          at: expect.any(Number),
          route: "submit",
          taskId: acceptedTaskIds[0],
          faulted: true,
          body: expect.any(String),
        },
      ]);
      expect((await poll(acceptedTaskIds[0])).status).toBe(200);
    },
  );
});

describe("http faults after accepting", () => {
  it("creates the task and then answers 504, as a proxy that gave up on the upstream would", async () => {
    sim.faults.add({ route: "submit", fault: { type: "http", status: 504, afterAccept: true } });
    const res = await submit();
    expect(res.status).toBe(504);
    const { acceptedSubmits, acceptedTaskIds } = sim.stats();
    expect(acceptedSubmits).toBe(1);
    expect((await poll(acceptedTaskIds[0])).status).toBe(200);
  });
});

describe("counters", () => {
  it("count every submit and poll that reached the simulator, per task, in arrival order", async () => {
    const first = await submitTask();
    sim.faults.add({ route: "submit", fault: { type: "http", status: 429 } });
    expect((await submit()).status).toBe(429);
    const second = await submitTask();
    await poll(first);
    await poll(first);
    await poll(second);
    await fetch(`${sim.url}/nowhere`);

    const stats = sim.stats();
    expect(stats).toMatchObject({
      submits: 3,
      acceptedSubmits: 2,
      acceptedTaskIds: [first, second],
      statusPolls: 3,
      pollsByTask: { [first]: 2, [second]: 1 },
    });
    expect(
      stats.requests.map(({ route, taskId, faulted }) => ({ route, taskId, faulted })),
    ).toEqual([
      { route: "submit", taskId: first, faulted: false },
      { route: "submit", taskId: undefined, faulted: true },
      { route: "submit", taskId: second, faulted: false },
      { route: "status", taskId: first, faulted: false },
      { route: "status", taskId: first, faulted: false },
      { route: "status", taskId: second, faulted: false },
      { route: "other", taskId: undefined, faulted: false },
    ]);
    const times = stats.requests.map(({ at }) => at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("return a snapshot that later requests do not change", async () => {
    const before = sim.stats();
    await submitTask();
    expect(before).toMatchObject({ submits: 0, requests: [] });
  });
});

describe("close()", () => {
  it("resolves promptly while a request hangs, and the client sees the connection end", async () => {
    sim.faults.add({ route: "status", fault: { type: "hang" } });
    const hanging = poll("task_01K9S419324DREZFBWNSVXYR6H");
    hanging.catch(() => undefined);
    await waitFor(() => sim.stats().statusPolls === 1);

    // Waiting on the hanging request would never end: the test's own timeout is the bound.
    await sim.close();
    await expect(hanging).rejects.toThrow();
  });

  it("drops a request waiting on a slow fault without leaving its timer behind", async () => {
    sim.faults.add({ route: "status", fault: { type: "slow", delayMs: 60_000 } });
    const slow = poll("task_01K9S419324DREZFBWNSVXYR6H");
    slow.catch(() => undefined);
    await waitFor(() => sim.stats().statusPolls === 1);
    await sim.close();
    await expect(slow).rejects.toThrow();
  });

  it("can be called twice", async () => {
    await sim.close();
    await expect(sim.close()).resolves.toBeUndefined();
  });
});
