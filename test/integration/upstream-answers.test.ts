import { Writable } from "node:stream";
import { createLogger } from "../../src/observability/logger";
import { GENERATE_FROM_TEXT, TASK, type TaskView } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { sendJson, startUpstreamStub, type UpstreamStub } from "../unit/upstream-stub-server";

const CLIENT = "answers-secret-0123456789";
const XSS = "javascript:alert(document.cookie)";
const HUGE_THUMBNAIL = `https://cdn.example.com/${"z".repeat(5000)}.jpg`;

/** An upstream that accepts every submit and reports it completed, with the result URLs of `results`. */
function completingUpstream(results: Array<{ url: string; thumbnail: string }>) {
  let created = 0;
  return startUpstreamStub((request, res) => {
    if (request.method === "POST") {
      created += 1;
      return sendJson(res, 200, {
        code: 200,
        data: [{ status: "submitted", task_id: `task_${created}` }],
      });
    }
    const n = Number(/task_(\d+)/.exec(request.url)?.[1]);
    const result = results[n - 1];
    sendJson(res, 200, {
      code: 200,
      data: {
        id: `task_${n}`,
        status: "completed",
        progress: 100,
        created: 1_762_853_430,
        result: {
          videos: [{ url: [result.url], expires_at: 1_762_940_095 }],
          thumbnail_url: result.thumbnail,
        },
      },
    });
  });
}

describe("an upstream result that is not a safe URL", () => {
  let upstream: UpstreamStub;
  let gateway: TestGateway;
  const logged: string[] = [];

  beforeAll(async () => {
    upstream = await completingUpstream([
      { url: XSS, thumbnail: "https://cdn.example.com/t.jpg" },
      { url: "https://cdn.example.com/v.mp4", thumbnail: HUGE_THUMBNAIL },
    ]);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    gateway = await startTestGateway(
      {
        APIMART_API_KEY: "upstream-key",
        APIMART_BASE_URL: upstream.baseUrl,
        GATEWAY_API_KEYS: `web:${CLIENT}`,
      },
      undefined,
      createLogger("warn", sink),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await upstream.close();
  });

  const finished = async (prompt: string) => {
    const created = await gateway.gql<{ generateVideoFromText: TaskView }>(
      GENERATE_FROM_TEXT,
      { input: { prompt } },
      CLIENT,
    );
    const id = created.body.data!.generateVideoFromText.id;
    return waitFor(async () => {
      const read = await gateway.gql<{ task: TaskView }>(TASK, { id }, CLIENT);
      return read.body.data!.task.status !== "QUEUED" ? read.body : null;
    });
  };

  it("a javascript: video URL ends the task FAILED with INVALID_UPSTREAM_RESULT, and the URL is never served", async () => {
    const body = await finished("a cookie jar");

    expect(body.data!.task).toMatchObject({
      status: "FAILED",
      video: null,
      error: { code: "INVALID_UPSTREAM_RESULT" },
    });
    expect(JSON.stringify(body)).not.toContain("javascript");
    expect(
      logged.some((line) => line.includes("INVALID_UPSTREAM_RESULT") && line.includes(XSS)),
    ).toBe(true);
  });

  it("an overlong thumbnail URL fails the task too, and is logged cut short", async () => {
    const body = await finished("a long thumbnail");

    expect(body.data!.task).toMatchObject({
      status: "FAILED",
      video: null,
      error: { code: "INVALID_UPSTREAM_RESULT" },
    });
    const line = logged.find((entry) => entry.includes("cdn.example.com/zzz"));
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThan(2000);
  });
});
