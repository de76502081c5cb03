import { UpstreamError, type UpstreamFailureKind } from "../../src/ports/upstream-client";
import {
  sendJson,
  useUpstreamStubs,
  type StubHandler,
  apimartClient,
  REQUEST,
} from "./upstream-stub-server";

const API_KEY = "sk-test-1a2b3c4d5e6f7a8b9c0d";

describe("ApimartClient error mapping", () => {
  const startStub = useUpstreamStubs();

  async function submitAgainst(handler: StubHandler): Promise<UpstreamError> {
    const stub = await startStub(handler);
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });
    const error = await client.submit(REQUEST, { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  async function getTaskAgainst(handler: StubHandler): Promise<UpstreamError> {
    const stub = await startStub(handler);
    const client = apimartClient({ baseUrl: stub.baseUrl, apiKey: API_KEY });
    const error = await client.getTask("task_1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  it.each<[number, string, UpstreamFailureKind, boolean]>([
    [400, "invalid_request_error", "bad_request", false],
    [401, "authentication_error", "misconfigured", false],
    [402, "payment_required", "payment_required", false],
    [403, "permission_error", "misconfigured", false],
    [404, "not_found", "misconfigured", false],
    [405, "method_not_allowed", "misconfigured", false],
    [408, "request_timeout", "timeout", true],
    [422, "invalid_request_error", "bad_request", false],
    [429, "rate_limit_error", "rate_limited", true],
    [500, "server_error", "server_error", true],
    [502, "bad_gateway", "server_error", true],
    [503, "service_unavailable", "server_error", true],
    [504, "gateway_timeout", "server_error", true],
  ])("maps HTTP %i (%s) to %s", async (status, type, kind, transient) => {
    const error = await submitAgainst((_req, res) =>
      sendJson(res, status, { error: { code: status, message: `upstream says ${status}`, type } }),
    );

    expect(error.kind).toBe(kind);
    expect(error.transient).toBe(transient);
    expect(error.details.httpStatus).toBe(status);
    expect(error.message).toContain(`upstream says ${status}`);
    expect(error.message).toContain(type);
  });

  it.each([
    [502, true],
    [504, true],
    [500, false],
    [503, false],
  ])(
    "a submit answered %i leaves the outcome unknown: %s (a proxy that gave up may have passed it on)",
    async (status, unknown) => {
      const error = await submitAgainst((_req, res) => sendJson(res, status, "{}"));

      expect(error.kind).toBe("server_error");
      expect(error.details.outcomeUnknown ?? false).toBe(unknown);
    },
  );

  it("keeps the upstream's message of an Invalid task ID answer on the status endpoint", async () => {
    const error = await getTaskAgainst((_req, res) =>
      sendJson(res, 400, {
        error: { code: 400, message: "Invalid task ID", type: "invalid_request_error" },
      }),
    );

    expect(error.kind).toBe("bad_request");
    expect(error.message).toMatch(/GET \/v1\/tasks\/task_1 answered HTTP 400.*Invalid task ID/);
  });

  it("reads Retry-After in seconds on a 429", async () => {
    const error = await submitAgainst((_req, res) =>
      sendJson(res, 429, { error: { code: "429", message: "slow down" } }, { "retry-after": "7" }),
    );

    expect(error).toMatchObject({ kind: "rate_limited", details: { retryAfterMs: 7000 } });
  });

  it("reads Retry-After as an HTTP date on a 429", async () => {
    const error = await submitAgainst((_req, res) =>
      sendJson(res, 429, "{}", { "retry-after": new Date(Date.now() + 30_000).toUTCString() }),
    );

    expect(error.kind).toBe("rate_limited");
    expect(error.details.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("keeps Retry-After on a 503 and has none when the header is absent", async () => {
    const withHeader = await getTaskAgainst((_req, res) =>
      sendJson(res, 503, "{}", { "retry-after": "2" }),
    );
    const without = await getTaskAgainst((_req, res) => sendJson(res, 500, "{}"));

    expect(withHeader.details.retryAfterMs).toBe(2000);
    expect(without.details).not.toHaveProperty("retryAfterMs");
  });

  it("maps a 502 with an HTML body to server_error and keeps the start of the page", async () => {
    const error = await getTaskAgainst((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });

    expect(error.kind).toBe("server_error");
    expect(error.message).toContain("502 Bad Gateway");
  });

  it("maps a 200 whose envelope reports code 402 with an error to payment_required", async () => {
    const error = await submitAgainst((_req, res) =>
      sendJson(res, 200, {
        code: 402,
        error: { code: 402, message: "insufficient balance", type: "payment_required" },
      }),
    );

    expect(error).toMatchObject({ kind: "payment_required", details: { httpStatus: 402 } });
    expect(error.message).toContain("insufficient balance");
  });

  it("maps a 200 that is not JSON to malformed", async () => {
    const error = await getTaskAgainst((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"code":200,"data":{"status":');
    });

    expect(error).toMatchObject({ kind: "malformed", details: { httpStatus: 200 } });
  });

  it("maps a 200 submit answer without a task id to malformed", async () => {
    const error = await submitAgainst((_req, res) => sendJson(res, 200, { code: 200, data: [] }));

    expect(error.kind).toBe("malformed");
  });

  it("maps a 200 task answer without a status to malformed", async () => {
    const error = await getTaskAgainst((_req, res) =>
      sendJson(res, 200, { code: 200, data: { id: "task_1", progress: 5 } }),
    );

    expect(error.kind).toBe("malformed");
  });

  it("does not follow a redirect, so the key is never sent elsewhere", async () => {
    const elsewhere = await startStub((_req, res) => sendJson(res, 200, { data: { id: "t" } }));
    const error = await submitAgainst((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.baseUrl}/v1/videos/generations` });
      res.end();
    });

    expect(error).toMatchObject({ kind: "misconfigured", details: { httpStatus: 307 } });
    expect(elsewhere.requests).toHaveLength(0);
  });
});
