import { inspect } from "node:util";
import { createLogger } from "../../src/observability/logger";
import { UpstreamError } from "../../src/ports/upstream-client";
import {
  closedPortBaseUrl,
  sendJson,
  useUpstreamStubs,
  type StubHandler,
  apimartClient,
  REQUEST,
} from "./upstream-stub-server";

const API_KEY = "sk-live-9f8e7d6c5b4a39281706";

/** Every way an error can be printed or shipped somewhere. */
function serialize(error: UpstreamError): string {
  return [
    error.message,
    error.stack,
    JSON.stringify(error),
    JSON.stringify(error.details),
    inspect(error, { depth: null, showHidden: true }),
  ].join("\n");
}

describe("ApimartClient keeps the API key secret", () => {
  const startStub = useUpstreamStubs();
  let lines: string[];
  const logger = () => createLogger("trace", { write: (line: string) => lines.push(line) });

  beforeEach(() => {
    lines = [];
  });

  /**
   * The error a call gets from a stub (or a base URL), with the production timeouts: a stub that
   * answers must never be taken for one that does not, however loaded the machine. Only a stub that
   * never answers needs `timeoutMs`.
   */
  async function errorFrom(
    handler: StubHandler | string,
    call: (client: ReturnType<typeof apimartClient>) => Promise<unknown>,
    timeoutMs?: number,
  ): Promise<UpstreamError> {
    const baseUrl = typeof handler === "string" ? handler : (await startStub(handler)).baseUrl;
    const timeouts = timeoutMs ? { submitTimeoutMs: timeoutMs, statusTimeoutMs: timeoutMs } : {};
    const client = apimartClient({ baseUrl, apiKey: API_KEY, ...timeouts, logger: logger() });
    const error = await call(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  const echoKey: StubHandler = (request, res) =>
    sendJson(res, 401, {
      error: {
        code: 401,
        message: `Incorrect API key provided: ${request.headers.authorization}`,
        type: "authentication_error",
      },
    });

  it("never puts the key in errors or log lines, even when the upstream echoes it", async () => {
    const errors = [
      await errorFrom(echoKey, (client) => client.submit(REQUEST, { idempotencyKey: "k" })),
      await errorFrom(echoKey, (client) => client.getTask("t")),
      await errorFrom(
        (request, res) =>
          sendJson(res, 403, { error: { message: String(request.headers.authorization) } }),
        (client) => client.getTask("t"),
      ),
      await errorFrom(
        (request, res) => {
          res.writeHead(500);
          res.end(`<pre>${JSON.stringify(request.headers)}</pre>`);
        },
        (client) => client.submit(REQUEST, { idempotencyKey: "k" }),
      ),
      await errorFrom(
        () => undefined, // never answers
        (client) => client.submit(REQUEST, { idempotencyKey: "k" }),
        200,
      ),
      await errorFrom(
        (_request, _res, req) => req.socket.destroy(),
        (client) => client.submit(REQUEST, { idempotencyKey: "k" }),
      ),
      await errorFrom(
        (_request, res) => sendJson(res, 200, "not json"),
        (client) => client.getTask("t"),
      ),
      await errorFrom(await closedPortBaseUrl(), (client) => client.getTask("t")),
    ];

    expect(errors.map((error) => error.kind)).toEqual([
      "misconfigured",
      "misconfigured",
      "misconfigured",
      "server_error",
      "timeout",
      "network",
      "malformed",
      "network",
    ]);
    expect(errors[0].message).toContain("Incorrect API key provided: Bearer [redacted]");
    for (const error of errors) expect(serialize(error)).not.toContain(API_KEY);
    expect(lines.length).toBeGreaterThanOrEqual(errors.length);
    expect(lines.join("\n")).not.toContain(API_KEY);
  });

  it("warns on 401 and 403 that the gateway's key is at fault, naming the variable but not the key", async () => {
    await errorFrom(echoKey, (client) => client.getTask("t"));
    await errorFrom(
      (_request, res) => sendJson(res, 403, "{}"),
      (client) => client.submit(REQUEST, { idempotencyKey: "k" }),
    );

    const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        status: 401,
        path: "/v1/tasks/t",
        msg: expect.stringContaining("APIMART_API_KEY"),
      }),
      expect.objectContaining({ status: 403, path: "/v1/videos/generations" }),
    ]);
  });

  it("does not expose the key through the client object itself", () => {
    const client = apimartClient({ baseUrl: "http://127.0.0.1:1", apiKey: API_KEY });

    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(inspect(client, { depth: null, showHidden: true })).not.toContain(API_KEY);
  });
});
