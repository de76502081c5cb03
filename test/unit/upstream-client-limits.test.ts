import type http from "node:http";
import { UpstreamError } from "../../src/ports/upstream-client";
import { apimartClient, REQUEST, sendJson, useUpstreamStubs } from "./upstream-stub-server";

const API_KEY = "sk-test-1a2b3c4d5e6f7a8b9c0d";
const LIMIT = 64 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");
/** Far more than any socket buffer holds, so a server that got to the end was read to the end. */
const HUGE = 64 * 1024 * 1024;

async function failure(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

/** What a streaming stub managed to send before the client hung up. */
interface Sent {
  bytes: number;
  finished: boolean;
  closed: Promise<void>;
}

/**
 * Answers with `status` and a chunked body (no Content-Length) of `total` bytes, written as fast
 * as the client reads it.
 */
function streamBody(status: number, prefix: string, total: number, sent: Sent[]) {
  return (_request: unknown, res: http.ServerResponse) => {
    const record: Sent = { bytes: 0, finished: false, closed: Promise.resolve() };
    record.closed = new Promise((resolve) => res.once("close", () => resolve()));
    sent.push(record);
    res.writeHead(status, { "content-type": "application/json" });
    const write = () => {
      while (record.bytes < total && !res.destroyed) {
        const chunk = record.bytes === 0 ? Buffer.from(prefix) : CHUNK;
        record.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", write);
      }
      if (!res.destroyed) res.end(() => (record.finished = true));
    };
    write();
  };
}

describe("ApimartClient reads at most UPSTREAM_MAX_BODY_BYTES of any answer", () => {
  const startStub = useUpstreamStubs();
  const clientFor = (baseUrl: string) =>
    apimartClient({ baseUrl, apiKey: API_KEY, maxBodyBytes: LIMIT, statusTimeoutMs: 5000 });

  it("cuts off a huge chunked status answer at the limit, as a transient too_large fault", async () => {
    const sent: Sent[] = [];
    const stub = await startStub(streamBody(200, '{"code":200,"data":{"status":"', HUGE, sent));

    const error = await failure(clientFor(stub.baseUrl).getTask("task_1"));

    expect(error).toMatchObject({ kind: "too_large", details: { httpStatus: 200 } });
    expect(error.transient).toBe(true);
    expect(error.message).toContain(`${LIMIT} bytes`);
    await sent[0].closed;
    expect(sent[0].finished).toBe(false);
    expect(sent[0].bytes).toBeLessThan(HUGE / 4);
  });

  it("refuses a declared Content-Length over the limit at once, without waiting for the body", async () => {
    const stub = await startStub((_request, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": HUGE });
      res.write('{"code":200,"data":');
    });
    // No status timeout within the test's: a client that waited for the body would never answer.
    const client = apimartClient({
      baseUrl: stub.baseUrl,
      apiKey: API_KEY,
      maxBodyBytes: LIMIT,
      statusTimeoutMs: 120_000,
    });

    const error = await failure(client.getTask("task_1"));

    expect(error.kind).toBe("too_large");
  });

  it("treats an oversized 200 answer to a submit as an unknown outcome: the task probably exists", async () => {
    const sent: Sent[] = [];
    const stub = await startStub(streamBody(200, '{"code":200,"data":[{"task_id":"', HUGE, sent));

    const error = await failure(clientFor(stub.baseUrl).submit(REQUEST, { idempotencyKey: "k" }));

    expect(error).toMatchObject({ kind: "too_large", details: { outcomeUnknown: true } });
  });

  it("still classifies an error answer by its status when its body is oversized", async () => {
    const sent: Sent[] = [];
    const stub = await startStub(streamBody(502, "<html><body>Bad gateway", HUGE, sent));

    const error = await failure(clientFor(stub.baseUrl).getTask("task_1"));

    expect(error).toMatchObject({ kind: "server_error", details: { httpStatus: 502 } });
    expect(error.message).toContain("Bad gateway");
    await sent[0].closed;
    expect(sent[0].finished).toBe(false);
  });

  it("reads an answer of exactly the limit", async () => {
    const json = { code: 200, data: { id: "task_1", status: "processing", progress: 5, pad: "" } };
    json.data.pad = "x".repeat(LIMIT - JSON.stringify(json).length);
    const stub = await startStub((_request, res) => sendJson(res, 200, json));

    await expect(clientFor(stub.baseUrl).getTask("task_1")).resolves.toMatchObject({
      providerStatus: "processing",
      progress: 5,
    });
  });
});
