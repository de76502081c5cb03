import { UpstreamError } from "../../src/ports/upstream-client";
import {
  closedPortBaseUrl,
  useUpstreamStubs,
  apimartClient,
  REQUEST,
} from "./upstream-stub-server";

const API_KEY = "sk-test-1a2b3c4d5e6f7a8b9c0d";
const SHORT_TIMEOUT_MS = 200;

async function failure(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe("ApimartClient when no complete answer arrives", () => {
  const startStub = useUpstreamStubs();

  const clientFor = (baseUrl: string) =>
    apimartClient({
      baseUrl,
      apiKey: API_KEY,
      submitTimeoutMs: SHORT_TIMEOUT_MS,
      statusTimeoutMs: SHORT_TIMEOUT_MS,
    });

  it("gives up on a submit the server never answers at the timeout, outcome unknown", async () => {
    // The stub never answers: only the client's own timeout can end the call.
    const stub = await startStub(() => undefined);

    const error = await failure(clientFor(stub.baseUrl).submit(REQUEST, { idempotencyKey: "k" }));

    expect(error).toMatchObject({ kind: "timeout", details: { outcomeUnknown: true } });
    expect(error.message).toContain(`${SHORT_TIMEOUT_MS} ms`);
    expect(stub.requests).toHaveLength(1);
  });

  it("gives up on a status read whose body stalls after the headers", async () => {
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"code":200,"data":');
    });

    const error = await failure(clientFor(stub.baseUrl).getTask("task_1"));

    expect(error.kind).toBe("timeout");
  });

  it("reports a refused connection as a network error the upstream never saw", async () => {
    const error = await failure(
      clientFor(await closedPortBaseUrl()).submit(REQUEST, { idempotencyKey: "k" }),
    );

    expect(error).toMatchObject({ kind: "network", details: { outcomeUnknown: false } });
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.transient).toBe(true);
  });

  it("reports an unresolvable host as a network error the upstream never saw", async () => {
    const client = apimartClient({ baseUrl: "http://upstream.invalid", apiKey: API_KEY });

    const error = await failure(client.getTask("task_1"));

    expect(error).toMatchObject({ kind: "network", details: { outcomeUnknown: false } });
  });

  it("reports a connection dropped after the submit was sent as a network error, outcome unknown", async () => {
    const stub = await startStub((_request, _res, req) => req.socket.destroy());

    const error = await failure(clientFor(stub.baseUrl).submit(REQUEST, { idempotencyKey: "k" }));

    expect(error).toMatchObject({ kind: "network", details: { outcomeUnknown: true } });
    expect(stub.requests).toHaveLength(1);
  });

  it("reports a connection dropped in the middle of the body as a network error, outcome unknown", async () => {
    const stub = await startStub((_request, res, req) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write("{", () => req.socket.destroy());
    });

    const error = await failure(clientFor(stub.baseUrl).submit(REQUEST, { idempotencyKey: "k" }));

    expect(error).toMatchObject({ kind: "network", details: { outcomeUnknown: true } });
  });
});
