import { createLogger } from "../../src/observability/logger";
import { UpstreamError } from "../../src/ports/upstream-client";
import { toSubmitBody } from "../../src/upstream/apimart.body";
import { sendJson, useUpstreamStubs, apimartClient, REQUEST } from "./upstream-stub-server";

const API_KEY = "sk-test-1a2b3c4d5e6f7a8b9c0d";

describe("ApimartClient against a local upstream", () => {
  const startStub = useUpstreamStubs();

  it("submits with POST, the bearer key, the Idempotency-Key and a JSON body", async () => {
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, { code: 200, data: [{ status: "submitted", task_id: "task_A" }] }),
    );
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });

    await expect(client.submit(REQUEST, { idempotencyKey: "idem-123" })).resolves.toEqual({
      upstreamTaskId: "task_A",
    });

    const [request] = stub.requests;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/videos/generations");
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["idempotency-key"]).toBe("idem-123");
    const sent = JSON.parse(request.body);
    expect(sent).toEqual(toSubmitBody(REQUEST));
    expect(typeof sent.duration).toBe("number");
  });

  it("reads the task id when `data` is an object, as other models answer", async () => {
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, { code: 200, data: { id: "t" } }),
    );
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });

    await expect(client.submit(REQUEST, { idempotencyKey: "k" })).resolves.toEqual({
      upstreamTaskId: "t",
    });
  });

  it("reads a task with GET /v1/tasks/{id}?language=en and the bearer key", async () => {
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, {
        code: 200,
        data: { id: "task_B", status: "processing", progress: 91, created: 1765000891 },
      }),
    );
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });

    const state = await client.getTask("task_B");

    expect(state).toMatchObject({
      upstreamTaskId: "task_B",
      providerStatus: "processing",
      progress: 91,
    });
    const [request] = stub.requests;
    expect(request.method).toBe("GET");
    expect(request.url).toBe("/v1/tasks/task_B?language=en");
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toBe("");
  });

  it("encodes the task id into a single path segment", async () => {
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, { code: 200, data: { status: "pending" } }),
    );
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });

    await client.getTask("../a b?c");

    expect(stub.requests[0].url).toBe("/v1/tasks/..%2Fa%20b%3Fc?language=en");
  });

  it("honours the language option and a base URL with a trailing slash", async () => {
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, { code: 200, data: { id: "t", status: "pending" } }),
    );
    const client = apimartClient({
      baseUrl: `${stub.baseUrl}/`,
      apiKey: API_KEY,
      language: "ja",
    });

    await client.getTask("t");

    expect(stub.requests[0].url).toBe("/v1/tasks/t?language=ja");
  });

  it("logs the method, path and status of each call at debug level", async () => {
    const lines: string[] = [];
    const logger = createLogger("debug", { write: (line: string) => lines.push(line) });
    const stub = await startStub((_req, res) =>
      sendJson(res, 200, { code: 200, data: { id: "t", status: "pending" } }),
    );
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY, logger });

    await client.getTask("t");

    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 20, method: "GET", path: "/v1/tasks/t", status: 200 }),
    ]);
  });

  it("refuses an Idempotency-Key that is not a valid header value without calling the upstream", async () => {
    const stub = await startStub((_req, res) => sendJson(res, 200, { data: { id: "t" } }));
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });

    const error = await client
      .submit(REQUEST, { idempotencyKey: "bad\nkey" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe("bad_request");
    expect(stub.requests).toHaveLength(0);
  });

  it("refuses at construction an API key that cannot be sent in a header, without echoing it", () => {
    expect(() => apimartClient({ baseUrl: "http://x", apiKey: "sk-abc\u0000def-secret" })).toThrow(
      /^ApimartClient: apiKey contains characters not allowed in an HTTP header$/,
    );
  });
});
