import http from "node:http";
import { gzipSync } from "node:zlib";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

/**
 * `POST /graphql` with a plain JSON body is served without Express (src/transport/graphql-http.ts),
 * with its own CORS headers and body reader; a gzip body takes the Express app (cors + express.json).
 * Every body below is sent both ways and must get the same answer.
 */
const APP = "https://app.example.com";
const LIMIT = 2048;

interface Answer {
  status: number;
  /** Every `access-control-*` header, `vary` and `content-type`. */
  headers: Record<string, string | undefined>;
  body: unknown;
  /** Express's `res.send` adds an ETag and the fast path does not: which path answered. */
  etag: string | undefined;
  /** The client's port: the same on two answers = the same connection. */
  localPort: number | undefined;
}

const COMPARED = /^(access-control-|vary$|content-type$)/;

function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  { chunked = false, agent }: { chunked?: boolean; agent?: http.Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: chunked ? headers : { ...headers, "content-length": String(body.length) },
      },
      (response) => {
        const localPort = response.socket.localPort; // detached once the answer has ended
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode!,
            headers: Object.fromEntries(
              Object.entries(response.headers)
                .filter(([name]) => COMPARED.test(name))
                .map(([name, value]) => [name, String(value)]),
            ),
            body: text ? JSON.parse(text) : null,
            etag: response.headers.etag,
            localPort,
          });
        });
      },
    );
    request.on("error", reject);
    if (chunked) {
      // Two writes and no Content-Length: only the bytes read can tell the size.
      request.write(body.subarray(0, 10));
      request.end(body.subarray(10));
    } else request.end(body);
  });
}

describe("POST /graphql on the fast path answers as the Express app does", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      CORS_ORIGINS: `${APP},http://localhost:5173`,
      MAX_REQUEST_BYTES: String(LIMIT),
    });
  });
  afterAll(() => gateway.stop());

  const bothWays = async (body: string, headers: Record<string, string> = {}) => {
    const base = { "content-type": "application/json", origin: APP, ...headers };
    const raw = Buffer.from(body, "utf8");
    const fast = await post(gateway.url, raw, base);
    const express = await post(gateway.url, gzipSync(raw), { ...base, "content-encoding": "gzip" });
    expect([fast.etag, typeof express.etag]).toEqual([undefined, "string"]); // the path each took
    expect({ ...fast, etag: null, localPort: null }).toEqual({
      ...express,
      etag: null,
      localPort: null,
    });
    return fast;
  };

  it("a query: 200 with data", async () => {
    const answer = await bothWays(JSON.stringify({ query: "{ __typename }" }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { __typename: "Query" } });
  });

  it("a listed origin gets its own name back and Vary: Origin; another gets no CORS header", async () => {
    const query = JSON.stringify({ query: "{ __typename }" });
    const listed = await bothWays(query);
    expect(listed.headers).toMatchObject({ "access-control-allow-origin": APP, vary: "Origin" });
    const other = await bothWays(query, { origin: "https://evil.example" });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    expect(other.headers.vary).toBe("Origin");
  });

  it.each([
    ["not JSON", '{"query":'],
    ["a JSON string", '"{ __typename }"'],
    ["a JSON number", "42"],
    ["only whitespace", "  \n "],
  ])("%s: 400 BAD_REQUEST, the body is not valid JSON", async (_name, body) => {
    const answer = await bothWays(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errors: [
        { message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } },
      ],
    });
  });

  it("an empty body gets Apollo's answer, the same both ways", async () => {
    const answer = await bothWays("");
    expect(answer.status).toBe(400);
  });

  it("a UTF-8 byte-order mark before the JSON is skipped", async () => {
    const answer = await bothWays(`\uFEFF${JSON.stringify({ query: "{ __typename }" })}`);
    expect(answer.body).toEqual({ data: { __typename: "Query" } });
  });

  it("a batch (a JSON array) is refused the same way", async () => {
    const answer = await bothWays(JSON.stringify([{ query: "{ __typename }" }]));
    expect(answer.status).toBe(400);
  });

  it("a body past MAX_REQUEST_BYTES: 413 PAYLOAD_TOO_LARGE, declared or not", async () => {
    const body = JSON.stringify({ query: `{ __typename } # ${"x".repeat(LIMIT)}` });
    const declared = await bothWays(body);
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({
      errors: [
        { message: "The request body is too large.", extensions: { code: "PAYLOAD_TOO_LARGE" } },
      ],
    });
    const undeclared = await post(
      gateway.url,
      Buffer.from(body),
      { "content-type": "application/json" },
      { chunked: true },
    );
    expect(undeclared.status).toBe(413);
    expect(undeclared.body).toEqual(declared.body);
  });

  it("a body that never ends is refused with 413 once past the limit, and the connection serves the next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await new Promise<{ status: number; port?: number }>((resolve, reject) => {
        const request = http.request(gateway.url, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json" },
        });
        request.on("response", (response) => {
          response.resume();
          resolve({ status: response.statusCode!, port: response.socket.localPort });
          // Only now does the client finish its body: the answer came while it was still sending.
          request.end();
        });
        request.on("error", reject);
        request.write(`{"query":"${"x".repeat(LIMIT)}`);
      });
      expect(answer.status).toBe(413);
      const next = await post(
        gateway.url,
        Buffer.from(JSON.stringify({ query: "{ __typename }" })),
        { "content-type": "application/json" },
        { agent },
      );
      expect(next.body).toEqual({ data: { __typename: "Query" } });
      expect(next.localPort).toBe(answer.port); // the same connection: the refused body was read off
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ["application/json; charset=UTF-8", undefined],
    ['application/json;charset="utf-8"', undefined],
    ["application/json; charset=utf-8 x", "string"],
    ["application/json\u00a0", "string"],
    ["application/json; charset=utf-8; x=y", "string"],
  ])("%s: the fast path takes only plain spellings (ETag: %s)", async (contentType, etag) => {
    const answer = await post(
      gateway.url,
      Buffer.from(JSON.stringify({ query: "{ __typename }" })),
      { "content-type": contentType },
    );
    expect(typeof answer.etag).toBe(etag === undefined ? "undefined" : etag);
  });

  it("a charset other than UTF-8 is refused by the Express app's parser, as before", async () => {
    const answer = await post(
      gateway.url,
      Buffer.from(JSON.stringify({ query: "{ __typename }" })),
      {
        "content-type": "application/json; charset=latin1",
      },
    );
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({
      errors: [{ message: "The request body must be UTF-8.", extensions: { code: "BAD_REQUEST" } }],
    });
  });
});

describe("POST /graphql on the fast path with CORS_ORIGINS unset", () => {
  it("answers any origin with * as the Express app does", async () => {
    const gateway = await startTestGateway();
    try {
      const raw = Buffer.from(JSON.stringify({ query: "{ __typename }" }));
      const base = { "content-type": "application/json", origin: "https://anywhere.example" };
      const fast = await post(gateway.url, raw, base);
      const express = await post(gateway.url, gzipSync(raw), {
        ...base,
        "content-encoding": "gzip",
      });
      expect(fast.headers).toEqual(express.headers);
      expect(fast.headers["access-control-allow-origin"]).toBe("*");
    } finally {
      await gateway.stop();
    }
  });
});
