import { connect } from "node:net";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";

const KEY = "sim-test-key";
const BODY = { model: "kling-v3", prompt: "a golden cat running through a sunny meadow" };

let sim: Simulator;

beforeEach(async () => {
  sim = await startTestSimulator({ apiKey: KEY, queuedMs: 250, processingMs: 400 });
});
afterEach(() => sim.close());

function submit(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function poll(taskId: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}/v1/tasks/${taskId}?language=en`, {
    headers: { authorization: `Bearer ${KEY}`, ...headers },
  });
}

async function submitTask(body: unknown = BODY): Promise<string> {
  const res = await submit(body);
  expect(res.status).toBe(200);
  const json = (await res.json()) as { data: { task_id: string }[] };
  return json.data[0].task_id;
}

/** Polls every 20 ms until `until` holds for the task's `data`, and returns every `data` seen. */
async function pollUntil(
  taskId: string,
  until: (data: Record<string, unknown>) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const json = (await (await poll(taskId)).json()) as { data: Record<string, unknown> };
    seen.push(json.data);
    if (until(json.data)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} never matched; last seen ${JSON.stringify(seen.at(-1))}`);
}

describe("submit", () => {
  it("answers 200 with data as an array holding a submitted task id", async () => {
    const res = await submit(BODY);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const json = await res.json();
    expect(json).toEqual({
      code: 200,
      data: [{ status: "submitted", task_id: expect.stringMatching(/^task_[0-9A-Z]{26}$/) }],
    });
  });

  it.each([
    ["a model other than kling-v3", { ...BODY, model: "sora-2" }],
    ["an empty prompt", { ...BODY, prompt: "" }],
    ["an unknown mode", { ...BODY, mode: "max" }],
    ["a duration sent as a string", { ...BODY, duration: "10" }],
    ["a duration of 7", { ...BODY, duration: 7 }],
    ["pro mode with 15 s", { ...BODY, mode: "pro", duration: 15 }],
    ["15 s with image_urls", { ...BODY, duration: 15, image_urls: ["https://example.com/a.jpg"] }],
    ["an unknown aspect_ratio", { ...BODY, aspect_ratio: "21:9" }],
    [
      "three image_urls",
      { ...BODY, image_urls: ["https://a.test/1", "https://a.test/2", "https://a.test/3"] },
    ],
    ["an image url that is not http(s)", { ...BODY, image_urls: ["file:///etc/passwd"] }],
    ["last_frame_image without image_urls", { ...BODY, last_frame_image: "https://a.test/z.jpg" }],
    ["a string watermark", { ...BODY, watermark: "yes" }],
    ["invalid JSON", '{"model":"kling-v3",'],
    ["an empty body", ""],
  ])("refuses %s with an upstream-style 400 and creates no task", async (_name, body) => {
    const res = await submit(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 400, message: expect.any(String), type: "invalid_request_error" },
    });
    expect(sim.stats()).toMatchObject({ submits: 1, acceptedSubmits: 0, acceptedTaskIds: [] });
  });

  it("refuses a body over 1 MiB with 413 and keeps serving", async () => {
    const res = await submit({ ...BODY, prompt: "x".repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 413 } });
    expect(sim.stats().acceptedSubmits).toBe(0);
    expect((await submit(BODY)).status).toBe(200);
  });
});

describe("task status", () => {
  it("goes pending -> processing -> completed, with fields absent until they apply", async () => {
    const before = Math.floor(Date.now() / 1000);
    const taskId = await submitTask();

    const [first] = await pollUntil(taskId, () => true);
    expect(first).toEqual({
      id: taskId,
      status: "pending",
      progress: 0,
      created: expect.any(Number),
      estimated_time: 1,
    });
    expect(first.created).toBeGreaterThanOrEqual(before);

    const seen = await pollUntil(taskId, (data) => data.status === "completed");
    const processing = seen.filter((data) => data.status === "processing");
    expect(processing.length).toBeGreaterThan(1);
    const progress = processing.map((data) => data.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(Math.max(...progress)).toBeLessThanOrEqual(99);
    for (const data of processing) {
      expect(data.estimated_time).toBe(1);
      for (const field of ["result", "completed", "actual_time", "error"]) {
        expect(data).not.toHaveProperty(field);
      }
    }

    const done = seen.at(-1) as Record<string, unknown>;
    const completed = done.completed as number;
    expect(done).toEqual({
      id: taskId,
      status: "completed",
      progress: 100,
      created: first.created,
      estimated_time: 1,
      result: {
        videos: [{ url: [`${sim.url}/files/${taskId}.mp4`], expires_at: completed + 86400 }],
        thumbnail_url: `${sim.url}/files/${taskId}.jpg`,
      },
      completed: expect.any(Number),
      actual_time: 1,
    });
  });

  it("serves the result links so a newcomer can open them", async () => {
    const taskId = await submitTask();
    const [done] = (await pollUntil(taskId, (data) => data.status === "completed")).slice(-1);
    const result = done.result as { videos: { url: string[] }[]; thumbnail_url: string };

    const video = await fetch(result.videos[0].url[0]);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const thumbnail = await fetch(result.thumbnail_url);
    expect(thumbnail.headers.get("content-type")).toBe("image/jpeg");
    // Links stay valid across a simulator restart (any well-formed task id); other names do not exist.
    expect((await fetch(`${sim.url}/files/task_00000000000000000000000000.mp4`)).status).toBe(200);
    expect((await fetch(`${sim.url}/files/not-a-task.mp4`)).status).toBe(404);
  });

  it("fails a prompt containing [sim:fail] with an error and no result", async () => {
    const taskId = await submitTask({ ...BODY, prompt: "a cat [sim:fail]" });
    const [started] = (await pollUntil(taskId, (data) => data.status !== "pending")).slice(-1);
    const [final] = (await pollUntil(taskId, (data) => data.status === "failed")).slice(-1);
    expect(started.status).toBe("processing");
    expect(final).toMatchObject({
      id: taskId,
      error: { code: 500, message: expect.any(String), type: "content_policy_violation" },
    });
    expect(final).not.toHaveProperty("result");
    expect(final).not.toHaveProperty("completed");
  });

  it("fails every task when failureRate is 1", async () => {
    await sim.close();
    sim = await startTestSimulator({ queuedMs: 0, processingMs: 0, failureRate: 1 });
    const res = await fetch(`${sim.url}/v1/videos/generations`, {
      method: "POST",
      headers: { authorization: "Bearer anything" },
      body: JSON.stringify(BODY),
    });
    const { data } = (await res.json()) as { data: { task_id: string }[] };
    const status = await fetch(`${sim.url}/v1/tasks/${data[0].task_id}`, {
      headers: { authorization: "Bearer anything" },
    });
    expect(await status.json()).toMatchObject({
      code: 200,
      data: { status: "failed", error: { code: 500, type: "server_error" } },
    });
  });

  it("holds every unfinished task in processing until release(), then lets them finish", async () => {
    await sim.close();
    sim = await startTestSimulator({ apiKey: KEY, queuedMs: 0, processingMs: 0 });
    const finished = await submitTask();
    sim.hold();
    const held = await Promise.all([submitTask(), submitTask({ ...BODY, prompt: "x [sim:fail]" })]);
    for (const taskId of held) {
      const { data } = (await (await poll(taskId)).json()) as { data: Record<string, unknown> };
      expect(data).toMatchObject({ status: "processing", progress: 99 });
    }
    expect((await pollUntil(finished, () => true))[0].status).toBe("completed");
    sim.release();
    await pollUntil(held[0], (data) => data.status === "completed");
    await pollUntil(held[1], (data) => data.status === "failed");
  });

  it("answers an unknown task id with 400 Invalid task ID", async () => {
    const res = await poll("task_01K9S419324DREZFBWNSVXYR6H");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 400, message: "Invalid task ID", type: "invalid_request_error" },
    });
  });
});

describe("auth", () => {
  it.each([
    ["no Authorization header", {}],
    ["a wrong key", { authorization: "Bearer not-the-key" }],
    ["a non-bearer scheme", { authorization: `Basic ${KEY}` }],
    ["an empty bearer", { authorization: "Bearer " }],
  ])("refuses %s with 401 authentication_error on both endpoints", async (_name, headers) => {
    const taskId = await submitTask();
    const refusedSubmit = await fetch(`${sim.url}/v1/videos/generations`, {
      method: "POST",
      headers,
      body: JSON.stringify(BODY),
    });
    const refusedPoll = await fetch(`${sim.url}/v1/tasks/${taskId}`, { headers });
    for (const res of [refusedSubmit, refusedPoll]) {
      expect(res.status).toBe(401);
      const json = await res.json();
      expect(json).toEqual({
        error: { code: 401, message: expect.any(String), type: "authentication_error" },
      });
      expect(JSON.stringify(json)).not.toContain(KEY);
    }
    expect(sim.stats()).toMatchObject({ submits: 2, acceptedSubmits: 1 });
  });

  it("accepts any non-empty bearer when no apiKey is configured", async () => {
    await sim.close();
    sim = await startTestSimulator();
    const res = await fetch(`${sim.url}/v1/videos/generations`, {
      method: "POST",
      headers: { authorization: "Bearer whatever" },
      body: JSON.stringify(BODY),
    });
    expect(res.status).toBe(200);
  });
});

describe("robustness", () => {
  it.each([
    ["GET", "/"],
    ["GET", "/v1/videos/generations"],
    ["DELETE", "/v1/tasks/task_01K9S419324DREZFBWNSVXYR6H"],
    ["POST", "/v1/tasks"],
  ])("answers %s %s with a 404 JSON error", async (method, path) => {
    const res = await fetch(`${sim.url}${path}`, { method });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404 } });
  });

  it("survives garbage on the socket and keeps serving", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(sim.url).port), "127.0.0.1", () => {
        socket.end("\x00\xff NOT HTTP\r\n\r\n");
      });
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
      socket.resume();
    });
    expect((await poll("task_%E0%A4%A")).status).toBe(400);
    expect((await submit(BODY)).status).toBe(200);
  });
});
