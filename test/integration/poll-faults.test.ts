import { GENERATE_FROM_TEXT, TASK, type TaskView } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import type { SimulatedFault } from "../../src/simulator/simulator.faults";

type Read = { task: TaskView };

describe("polling through upstream faults", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      UPSTREAM_STATUS_TIMEOUT_MS: "300",
      // Room for the 1 s Retry-After below: a longer one is cut to this cap.
      POLL_MAX_BACKOFF_MS: "1000",
      SIMULATOR_PROCESSING_MS: "600",
    });
  });
  afterEach(() => gateway.simulator!.faults.clear());
  afterAll(() => gateway.stop());

  const submit = async () => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
      input: { prompt: "a windmill in a gale" },
    });
    return body.data!.generateVideoFromText;
  };
  const finalState = (id: string) =>
    waitFor(
      async () => {
        const { body } = await gateway.gql<Read>(TASK, { id });
        return ["SUCCEEDED", "FAILED"].includes(body.data!.task.status) ? body.data!.task : null;
      },
      { timeoutMs: 20_000, what: "a terminal status" },
    );

  it("reaches its true final state through 500, 502, 503, 429, malformed JSON, drops and a hang", async () => {
    const task = await submit();
    const faults: SimulatedFault[] = [
      { type: "http", status: 500 },
      { type: "http", status: 502 },
      { type: "http", status: 503 },
      { type: "http", status: 429, retryAfter: "0" },
      { type: "malformed" },
      { type: "drop" },
      { type: "hang" },
    ];
    faults.forEach((fault) => gateway.simulator!.faults.add({ route: "status", fault }));
    const done = await finalState(task.id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.video?.url).toBeTruthy();
    expect(gateway.simulator!.faults.pending).toBe(0);
    const health = await fetch(gateway.url.replace("/graphql", "/healthz"));
    expect(health.status).toBe(200);
  });

  it("a job that fails upstream still ends FAILED through faults", async () => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
      input: { prompt: "doomed [sim:fail]" },
    });
    gateway.simulator!.faults.add({
      route: "status",
      times: 3,
      fault: { type: "http", status: 500 },
    });
    const done = await finalState(body.data!.generateVideoFromText.id);
    expect(done.status).toBe("FAILED");
    expect(done.error?.code).toBe("GENERATION_FAILED");
  });

  it("honours Retry-After: no poll of that task before it elapses", async () => {
    const task = await submit();
    const upstreamId = gateway.simulator!.stats().acceptedTaskIds.at(-1)!;
    gateway.simulator!.faults.add({
      route: "status",
      fault: { type: "http", status: 429, retryAfter: "1" },
    });
    await finalState(task.id);
    const polls = gateway
      .simulator!.stats()
      .requests.filter((r) => r.route === "status" && r.taskId === upstreamId);
    const limited = polls.findIndex((r) => r.faulted);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(polls[limited + 1].at - polls[limited].at).toBeGreaterThanOrEqual(1000);
  });
});

describe("a long Retry-After", () => {
  it("is honoured only up to POLL_MAX_BACKOFF_MS: a 429 with Retry-After: 3600 delays the task by seconds, not an hour", async () => {
    const gateway = await startTestGateway({ POLL_MAX_BACKOFF_MS: "500" });
    try {
      const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
        input: { prompt: "a lighthouse at dusk" },
      });
      gateway.simulator!.faults.add({
        route: "status",
        fault: { type: "http", status: 429, retryAfter: "3600" },
      });
      const id = body.data!.generateVideoFromText.id;
      const done = await waitFor(
        async () => {
          const read = await gateway.gql<Read>(TASK, { id });
          return read.body.data!.task.status === "SUCCEEDED" ? read.body.data!.task : null;
        },
        { timeoutMs: 10_000, what: "the task to succeed after the 429" },
      );
      expect(done.video?.url).toBeTruthy();
      expect(gateway.simulator!.faults.pending).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});

describe("a task the upstream no longer knows", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      UPSTREAM_LOST_AFTER_MS: "400",
      POLL_MAX_BACKOFF_MS: "100",
      SIMULATOR_PROCESSING_MS: "1500",
    });
  });
  afterEach(() => gateway.simulator!.faults.clear());
  afterAll(() => gateway.stop());

  const INVALID_TASK_ID = { type: "http", status: 400, message: "Invalid task ID" } as const;
  const submitted = async () => {
    const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
      input: { prompt: "a sandcastle at high tide" },
    });
    return body.data!.generateVideoFromText.id;
  };
  const finished = (id: string) =>
    waitFor(
      async () => {
        const read = await gateway.gql<Read>(TASK, { id });
        return ["SUCCEEDED", "FAILED"].includes(read.body.data!.task.status)
          ? read.body.data!.task
          : null;
      },
      { timeoutMs: 10_000, what: "a terminal status" },
    );

  it("ends FAILED with UPSTREAM_TASK_LOST once the upstream has denied it for UPSTREAM_LOST_AFTER_MS, and polling stops", async () => {
    const id = await submitted();
    gateway.simulator!.faults.add({ route: "status", times: 10_000, fault: INVALID_TASK_ID });
    const started = Date.now();

    const done = await finished(id);

    expect(done).toMatchObject({ status: "FAILED", error: { code: "UPSTREAM_TASK_LOST" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(await gateway.scheduler.scheduled()).toBe(0);
  });

  it("keeps a task the upstream denies only briefly (fewer than UPSTREAM_LOST_AFTER_MS)", async () => {
    const id = await submitted();
    gateway.simulator!.faults.add({ route: "status", times: 2, fault: INVALID_TASK_ID });

    expect(await finished(id)).toMatchObject({ status: "SUCCEEDED" });
  });
});

describe("deadline", () => {
  it("a task still running at its deadline becomes FAILED with TIMED_OUT, and polling stops", async () => {
    const gateway = await startTestGateway({
      TASK_DEADLINE_MS: "1000",
      SIMULATOR_PROCESSING_MS: "60000",
    });
    try {
      const { body } = await gateway.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
        input: { prompt: "a very long job" },
      });
      const id = body.data!.generateVideoFromText.id;
      const failed = await waitFor(async () => {
        const read = await gateway.gql<Read>(TASK, { id });
        return read.body.data!.task.status === "FAILED" ? read.body.data!.task : null;
      });
      expect(failed.error?.code).toBe("TIMED_OUT");
      expect(await gateway.scheduler.scheduled()).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});
