import fs from "node:fs";
import path from "node:path";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";

const ASSETS = path.resolve(__dirname, "../../src/simulator/assets");
const MP4 = fs.readFileSync(path.join(ASSETS, "sample.mp4"));
const JPG = fs.readFileSync(path.join(ASSETS, "sample.jpg"));
const BODY = { model: "kling-v3", prompt: "a golden cat running through a sunny meadow" };
const AUTH = { authorization: "Bearer anything" };

let sim: Simulator;
let video: string;

beforeEach(async () => {
  sim = await startTestSimulator({ queuedMs: 0, processingMs: 0 });
  video = `${sim.url}/files/task_01K9S419324DREZFBWNSVXYR6H.mp4`;
});
afterEach(() => sim.close());

function get(url: string, headers: Record<string, string> = {}, method = "GET") {
  return fetch(url, { method, headers });
}

async function completedResult(): Promise<{ video: string; thumbnail: string }> {
  const submitted = await fetch(`${sim.url}/v1/videos/generations`, {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify(BODY),
  });
  const { data } = (await submitted.json()) as { data: { task_id: string }[] };
  const status = await fetch(`${sim.url}/v1/tasks/${data[0].task_id}`, { headers: AUTH });
  const { data: task } = (await status.json()) as {
    data: { status: string; result: { videos: { url: string[] }[]; thumbnail_url: string } };
  };
  expect(task.status).toBe("completed");
  return { video: task.result.videos[0].url[0], thumbnail: task.result.thumbnail_url };
}

describe("result files", () => {
  it("serves the playable sample and its thumbnail with their types, lengths and CORS", async () => {
    const links = await completedResult();
    for (const [url, type, bytes] of [
      [links.video, "video/mp4", MP4],
      [links.thumbnail, "image/jpeg", JPG],
    ] as const) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        "content-type": type,
        "content-length": String(bytes.length),
        "accept-ranges": "bytes",
        "access-control-allow-origin": "*",
        etag: expect.stringMatching(/^"[\w-]+"$/),
        "cache-control": expect.stringContaining("max-age"),
      });
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=100-", 100, MP4.length - 1],
    ["bytes=-500", MP4.length - 500, MP4.length - 1],
    ["bytes=0-", 0, MP4.length - 1],
    ["bytes=10-999999", 10, MP4.length - 1],
  ])("answers Range %s with 206 and exactly those bytes", async (range, start, end) => {
    const res = await get(video, { range });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${MP4.length}`);
    expect(res.headers.get("content-length")).toBe(String(end - start + 1));
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Content-Range/);
    expect(Buffer.from(await res.arrayBuffer()).equals(MP4.subarray(start, end + 1))).toBe(true);
  });

  it.each(["bytes=999999-", `bytes=${MP4.length}-${MP4.length + 10}`, "bytes=-0"])(
    "answers the unsatisfiable Range %s with 416 and the size",
    async (range) => {
      const res = await get(video, { range });
      expect(res.status).toBe(416);
      expect(res.headers.get("content-range")).toBe(`bytes */${MP4.length}`);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    },
  );

  it.each([
    ["several ranges", "bytes=0-9,20-29"],
    ["another unit", "items=0-9"],
    ["a malformed range", "bytes=9-0"],
  ])("answers %s with 200 and the whole file", async (_name, range) => {
    const res = await get(video, { range });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(MP4.length);
  });

  it("honours If-Range: the current ETag keeps the range, another one gets the whole file", async () => {
    const etag = (await get(video, {}, "HEAD")).headers.get("etag")!;
    expect((await get(video, { range: "bytes=0-9", "if-range": etag })).status).toBe(206);
    const stale = await get(video, { range: "bytes=0-9", "if-range": '"old"' });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(MP4.length);
  });

  it("answers HEAD with the headers GET would send and no body, ranges included", async () => {
    const whole = await get(video, {}, "HEAD");
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(MP4.length));
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect((await whole.arrayBuffer()).byteLength).toBe(0);
    const part = await get(video, { range: "bytes=0-99" }, "HEAD");
    expect(part.status).toBe(206);
    expect(part.headers.get("content-length")).toBe("100");
    expect(part.headers.get("content-range")).toBe(`bytes 0-99/${MP4.length}`);
  });

  it("answers a CORS preflight for a Range fetch from another origin", async () => {
    const res = await fetch(video, {
      method: "OPTIONS",
      headers: {
        origin: "http://app.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "range",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Range/);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/GET/);
  });

  it("answers 404 for a name that is not <task id>.mp4 or .jpg", async () => {
    for (const name of ["not-a-task.mp4", "task_01K9S419324DREZFBWNSVXYR6H.gif"]) {
      expect((await get(`${sim.url}/files/${name}`)).status).toBe(404);
    }
  });
});

describe("publicUrl", () => {
  it("starts every link handed out with the public URL, while the simulator listens where it was told", async () => {
    await sim.close();
    sim = await startTestSimulator({
      queuedMs: 0,
      processingMs: 0,
      publicUrl: "http://192.168.1.20:4010/",
    });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const links = await completedResult();
    expect(links.video).toMatch(/^http:\/\/192\.168\.1\.20:4010\/files\/task_[0-9A-Z]{26}\.mp4$/);
    expect(links.thumbnail).toBe(links.video.replace(/\.mp4$/, ".jpg"));
    // The same path on the listening address serves it.
    const served = await get(`${sim.url}${new URL(links.video).pathname}`);
    expect(served.status).toBe(200);
  });

  it("refuses to start with a public URL that is not absolute http(s)", async () => {
    await expect(startTestSimulator({ publicUrl: "192.168.1.20:4010" })).rejects.toThrow(
      /publicUrl/,
    );
  });
});
