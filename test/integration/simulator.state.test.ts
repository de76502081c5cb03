import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";
import { GENERATE_FROM_TEXT, TASK, type TaskView } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";

const BODY = { model: "kling-v3", prompt: "a golden cat running through a sunny meadow" };
const AUTH = { authorization: "Bearer anything" };

let dir: string;
let running: Array<Simulator | TestGateway>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "simulator-restart-test-"));
  running = [];
});
afterEach(async () => {
  await Promise.all(running.map((server) => ("stop" in server ? server.stop() : server.close())));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(statePath?: string): Promise<Simulator> {
  // Instant jobs: a task is running only while the simulator holds it.
  const sim = await startTestSimulator({ queuedMs: 0, processingMs: 0, statePath });
  running.push(sim);
  return sim;
}

function submit(sim: Simulator, idempotencyKey: string): Promise<Response> {
  return fetch(`${sim.url}/v1/videos/generations`, {
    method: "POST",
    headers: { ...AUTH, "idempotency-key": idempotencyKey },
    body: JSON.stringify(BODY),
  });
}

async function taskIdOf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: { task_id: string }[] };
  return data[0].task_id;
}

type StatusBody = { data: { id: string; status: string; created: number } };

async function poll(sim: Simulator, taskId: string): Promise<{ status: number; body: StatusBody }> {
  const res = await fetch(`${sim.url}/v1/tasks/${taskId}`, { headers: AUTH });
  return { status: res.status, body: (await res.json()) as StatusBody };
}

describe("a simulator restarted on the same state file", () => {
  it("continues a running task to completion, and answers its Idempotency-Key with the same task", async () => {
    const statePath = path.join(dir, "state", "simulator-state.jsonl");
    const first = await start(statePath);
    first.hold();
    const taskId = await taskIdOf(await submit(first, "key-1"));
    const before = await poll(first, taskId);
    expect(before.body.data).toMatchObject({ id: taskId, status: "processing" });
    await first.close();

    const second = await start(statePath);
    const after = await poll(second, taskId);
    expect(after.status).toBe(200);
    expect(after.body.data).toMatchObject({
      id: taskId,
      status: "completed",
      created: before.body.data.created,
    });
    const replay = await submit(second, "key-1");
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(await taskIdOf(replay)).toBe(taskId);
    expect(second.stats()).toMatchObject({ submits: 1, acceptedSubmits: 0 });
  });

  it("still answers a made-up but well-formed task id with 400 Invalid task ID", async () => {
    const statePath = path.join(dir, "simulator-state.jsonl");
    const first = await start(statePath);
    const real = await taskIdOf(await submit(first, "key-1"));
    await first.close();
    const second = await start(statePath);
    const madeUp = `${real.slice(0, -1)}${real.endsWith("0") ? "1" : "0"}`;
    for (const id of [madeUp, "task_01K9S419324DREZFBWNSVXYR6H"]) {
      expect(await poll(second, id)).toEqual({
        status: 400,
        body: { error: { code: 400, message: "Invalid task ID", type: "invalid_request_error" } },
      });
    }
    expect((await poll(second, real)).status).toBe(200);
  });

  it("keeps tasks made after a restart too, through the next one", async () => {
    const statePath = path.join(dir, "simulator-state.jsonl");
    const first = await start(statePath);
    const one = await taskIdOf(await submit(first, "key-1"));
    await first.close();
    const second = await start(statePath);
    const two = await taskIdOf(await submit(second, "key-2"));
    await second.close();
    const third = await start(statePath);
    expect(await taskIdOf(await submit(third, "key-1"))).toBe(one);
    expect(await taskIdOf(await submit(third, "key-2"))).toBe(two);
    expect(third.stats().acceptedSubmits).toBe(0);
  });

  it("is left alone by a second simulator that cannot take the port", async () => {
    const statePath = path.join(dir, "simulator-state.jsonl");
    const first = await start(statePath);
    const port = Number(new URL(first.url).port);
    await expect(startTestSimulator({ port, statePath })).rejects.toThrow(/EADDRINUSE/);
    const taskId = await taskIdOf(await submit(first, "key-1"));
    await first.close();
    const second = await start(statePath);
    expect((await poll(second, taskId)).status).toBe(200);
  });

  it("refuses to start when the state file cannot be written, and frees its port", async () => {
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "");
    const probe = await startTestSimulator();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const statePath = path.join(blocker, "state.jsonl");
    await expect(startTestSimulator({ port, statePath })).rejects.toThrow(/ENOTDIR|EEXIST/);
    running.push(await startTestSimulator({ port }));
  });

  it("without a state file, forgets its tasks when it stops", async () => {
    const first = await start();
    const taskId = await taskIdOf(await submit(first, "key-1"));
    await first.close();
    const second = await start();
    expect((await poll(second, taskId)).status).toBe(400);
    expect(await taskIdOf(await submit(second, "key-1"))).not.toBe(taskId);
  });
});

describe("the gateway's built-in simulator across a gateway restart", () => {
  it("keeps its state next to the database, so a task running at the restart still succeeds", async () => {
    // Always a SQLite file: the simulator's state goes next to it.
    const database = {
      env: { DATABASE_PATH: path.join(dir, "gateway.db") },
      cleanup: async () => undefined,
    };
    const env = { SIMULATOR_QUEUED_MS: "0", SIMULATOR_PROCESSING_MS: "0" };
    const first = await startTestGateway(env, database);
    running.push(first);
    first.simulator!.hold();
    const { body } = await first.gql<{ generateVideoFromText: TaskView }>(GENERATE_FROM_TEXT, {
      input: { prompt: "a lighthouse at dusk" },
    });
    const { id } = body.data!.generateVideoFromText;
    const read = async (gateway: TestGateway) =>
      (await gateway.gql<{ task: TaskView }>(TASK, { id })).body.data?.task?.status;
    await waitFor(async () => (await read(first)) === "PROCESSING", { what: "PROCESSING" });
    await first.stop();
    running = [];

    expect(fs.existsSync(path.join(dir, "simulator-state.jsonl"))).toBe(true);
    const second = await startTestGateway(env, database);
    running.push(second);
    await waitFor(async () => (await read(second)) === "SUCCEEDED", { what: "SUCCEEDED" });
    expect(second.simulator!.stats().acceptedSubmits).toBe(0);
  });
});
