import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { Client } from "graphql-ws";
import type { InProcessEventBus } from "../../src/events/in-process.event-bus";
import { postMultipart, type MultipartStream } from "../helpers/multipart-client";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";
import { TaskUpdatedDocument } from "../generated/graphql";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";
const KEYS = `alice:${ALICE},bob:${BOB}`;
const WATCH = `subscription ($id: ID!) { taskUpdated(id: $id) { id status version } }`;
const SUBMIT = `mutation { generateVideoFromText(input: { prompt: "a kite over the dunes" }) { id } }`;
const MULTIPART_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0';

type Event = { payload: { data: { taskUpdated: { status: string; version: number } } } };
const isEvent = (part: unknown): part is Event =>
  typeof part === "object" && part !== null && "payload" in part;
const isHeartbeat = (part: unknown) =>
  typeof part === "object" && part !== null && Object.keys(part).length === 0;

async function submit(gateway: TestGateway, token = ALICE): Promise<string> {
  const { body } = await gateway.gql<{ generateVideoFromText: { id: string } }>(SUBMIT, {}, token);
  return body.data!.generateVideoFromText.id;
}

const channels = (gateway: TestGateway) => (gateway.events as InProcessEventBus).channelCount;

describe("subscriptions over HTTP with Apollo's multipart protocol", () => {
  let gateway: TestGateway;
  const streams: MultipartStream[] = [];
  const watch = async (id: string, headers: Record<string, string> = {}, token = ALICE) => {
    const stream = await postMultipart(
      gateway.url,
      { query: WATCH, variables: { id } },
      { authorization: `Bearer ${token}`, ...headers },
    );
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: KEYS, MULTIPART_HEARTBEAT_MS: "100" });
  });
  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.abort());
  });
  afterAll(() => gateway.stop());

  it("Apollo Client 4 with HttpLink alone gets the snapshot, each change, SUCCEEDED, then completes", async () => {
    const id = await submit(gateway);
    const client = new ApolloClient({
      link: new HttpLink({ uri: gateway.url, headers: { authorization: `Bearer ${ALICE}` } }),
      cache: new InMemoryCache(),
    });
    const statuses: string[] = [];
    const versions: number[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: TaskUpdatedDocument, variables: { id } }).subscribe({
        next: (result) => {
          if (result.error) return reject(result.error);
          statuses.push(result.data!.taskUpdated.status);
          versions.push(result.data!.taskUpdated.version);
        },
        error: reject,
        complete: resolve,
      });
    });
    client.stop();
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.at(-1)).toBe("SUCCEEDED");
    versions.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(versions[i]));
    await waitFor(() => channels(gateway) === 0, { what: "no subscriber left on the bus" });
  });

  it("frames each event as a JSON part wrapped in payload, and ends with --graphql-- after the terminal status", async () => {
    const stream = await watch(await submit(gateway));
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe(MULTIPART_TYPE);
    await stream.ended;
    const raw = stream.raw();
    expect(raw.startsWith("\r\n--graphql\r\nContent-Type: application/json\r\n\r\n")).toBe(true);
    expect(raw.endsWith("\r\n--graphql--\r\n")).toBe(true);
    // Every part between delimiters: a Content-Type line, a blank line, one JSON document.
    const bodies = raw.slice(0, -"--\r\n".length).split("\r\n--graphql").slice(1, -1);
    for (const body of bodies) {
      expect(body).toMatch(/^\r\nContent-Type: application\/json\r\n\r\n\{.*\}$/s);
    }
    const events = stream.parts.filter(isEvent);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)!.payload.data.taskUpdated.status).toBe("SUCCEEDED");
    expect(stream.parts.filter((p) => !isEvent(p) && !isHeartbeat(p))).toEqual([]);
  });

  it("sends a {} heartbeat part at the configured interval while nothing changes", async () => {
    const slow = await startTestGateway({
      MULTIPART_HEARTBEAT_MS: "50",
      SIMULATOR_QUEUED_MS: "600000",
    });
    try {
      const stream = await postMultipart(slow.url, {
        query: WATCH,
        variables: { id: await submit(slow) },
      });
      streams.push(stream);
      await waitFor(() => stream.parts.filter(isHeartbeat).length >= 3, {
        what: "three heartbeats",
      });
    } finally {
      await slow.stop();
    }
  });

  it.each([
    ["bare", "multipart/mixed;subscriptionSpec=1.0"],
    ["quoted", 'multipart/mixed;subscriptionSpec="1.0"'],
    ["with a boundary and spaces", 'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"'],
    [
      "Apollo Kotlin's",
      "multipart/mixed;subscriptionSpec=1.0, application/graphql-response+json, application/json",
    ],
    ["among q-values", "application/json;q=0.9, multipart/mixed;q=0.8;subscriptionSpec=1.0"],
    ["in another case", "Multipart/Mixed;SubscriptionSpec=1.0"],
  ])("accepts an Accept header that is %s", async (_what, accept) => {
    const stream = await watch(await submit(gateway), { accept });
    expect(stream.headers.get("content-type")).toBe(MULTIPART_TYPE);
    expect(await stream.partWhere(isEvent)).toBeDefined();
  });

  it.each([
    ["no Accept", {}],
    ["Accept: application/json", { accept: "application/json" }],
    ["multipart/mixed without subscriptionSpec", { accept: "multipart/mixed, application/json" }],
    [
      "subscriptionSpec with q=0",
      { accept: "multipart/mixed;subscriptionSpec=1.0;q=0, application/json" },
    ],
  ])(
    "a subscription with %s is 400 BAD_REQUEST naming both ways to subscribe",
    async (_what, headers) => {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${ALICE}`,
          accept: "",
          ...headers,
        },
        body: JSON.stringify({ query: WATCH, variables: { id: "vt_any" } }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        errors: Array<{ message: string; extensions: object }>;
      };
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(
            /graphql-transport-ws.*multipart\/mixed;subscriptionSpec=1\.0/,
          ),
          extensions: { code: "BAD_REQUEST" },
        },
      ]);
    },
  );

  it("queries and mutations with a multipart Accept still go through Apollo as JSON", async () => {
    const stream = await postMultipart(
      gateway.url,
      { query: "{ __typename }" },
      { authorization: `Bearer ${ALICE}` },
    );
    expect(stream.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    await stream.ended;
    expect(stream.parts).toEqual([{ data: { __typename: "Query" } }]);
  });

  it.each([
    ["no credential", {}],
    ["a wrong credential", { authorization: "Bearer wrong-secret-0123456789" }],
  ])(
    "with %s it answers 401 UNAUTHENTICATED in JSON, before any stream",
    async (_what, headers) => {
      const stream = await postMultipart(
        gateway.url,
        { query: WATCH, variables: { id: "vt_x" } },
        headers,
      );
      expect(stream.status).toBe(401);
      expect(stream.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
      await stream.ended;
      expect(stream.parts).toEqual([
        { errors: [expect.objectContaining({ extensions: { code: "UNAUTHENTICATED" } })] },
      ]);
    },
  );

  it("an unknown task is NOT_FOUND in an ordinary JSON answer, and nothing stays subscribed", async () => {
    const stream = await watch("vt_unknown");
    expect(stream.status).toBe(200);
    await stream.ended;
    expect(stream.parts).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: "NOT_FOUND" } })] },
    ]);
    expect(channels(gateway)).toBe(0);
  });

  it("a variable of the wrong shape is 400 BAD_USER_INPUT naming it", async () => {
    const stream = await postMultipart(
      gateway.url,
      { query: WATCH, variables: { id: { not: "an id" } } },
      { authorization: `Bearer ${ALICE}` },
    );
    expect(stream.status).toBe(400);
    await stream.ended;
    expect(stream.parts).toEqual([
      {
        errors: [
          expect.objectContaining({
            extensions: expect.objectContaining({
              code: "BAD_USER_INPUT",
              fields: [expect.objectContaining({ path: "id" })],
            }),
          }),
        ],
      },
    ]);
  });

  it("keeps Apollo's CSRF prevention: a text/plain body without a preflight header is refused", async () => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        accept: "multipart/mixed;subscriptionSpec=1.0",
        authorization: `Bearer ${ALICE}`,
      },
      body: JSON.stringify({ query: WATCH, variables: { id: "vt_x" } }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  it("a client that goes away mid-stream leaves no subscriber on the bus", async () => {
    const id = await submit(gateway);
    const stream = await watch(id);
    await stream.partWhere(isEvent);
    expect(channels(gateway)).toBeGreaterThan(0);
    stream.abort();
    await waitFor(() => channels(gateway) === 0, { what: "the bus to lose its subscriber" });
  });
});

describe("multipart subscriptions share the limits and caps of the WebSocket", () => {
  let gateway: TestGateway;
  const streams: MultipartStream[] = [];
  const sockets: Client[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({
      GATEWAY_API_KEYS: KEYS,
      MAX_DEPTH: "2",
      MAX_SUBSCRIPTIONS_PER_CLIENT: "2",
      // Tasks stay QUEUED, so subscriptions stay open until the client ends them.
      SIMULATOR_QUEUED_MS: "600000",
    });
  });
  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.abort());
    await Promise.all(sockets.splice(0).map((socket) => socket.dispose()));
  });
  afterAll(() => gateway.stop());

  const watch = async (id: string, token = ALICE) => {
    const stream = await postMultipart(
      gateway.url,
      { query: WATCH, variables: { id } },
      { authorization: `Bearer ${token}` },
    );
    streams.push(stream);
    return stream;
  };

  it("an operation past MAX_DEPTH is refused with 400 GRAPHQL_VALIDATION_FAILED", async () => {
    const stream = await postMultipart(
      gateway.url,
      { query: `subscription { taskUpdated(id: "vt_x") { request { kind } } }`, variables: {} },
      { authorization: `Bearer ${ALICE}` },
    );
    expect(stream.status).toBe(400);
    await stream.ended;
    expect(stream.parts).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(/depth limit of 2 exceeded, found 3/),
            extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
          }),
        ],
      },
    ]);
  });

  it("MAX_SUBSCRIPTIONS_PER_CLIENT counts WebSocket and multipart together; a closed stream frees its slot", async () => {
    const id = await submit(gateway);
    const ws = connect(gateway.wsUrl, ALICE);
    sockets.push(ws);
    const overWs = subscribe(ws, WATCH, { id });
    await overWs.nth(1);
    const first = await watch(id);
    await first.partWhere(isEvent);
    const refused = await watch(id);
    expect(refused.status).toBe(429);
    await refused.ended;
    expect(refused.parts).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: "QUOTA_EXCEEDED" } })] },
    ]);
    const refusedOverWs = subscribe(ws, WATCH, { id });
    await expect(refusedOverWs.done).rejects.toEqual([
      expect.objectContaining({ extensions: { code: "QUOTA_EXCEEDED" } }),
    ]);
    expect((await watch(await submit(gateway, BOB), BOB)).status).toBe(200);
    first.abort();
    await waitFor(
      async () => {
        const again = await watch(id);
        return again.status === 200;
      },
      { what: "a slot after the stream closed" },
    );
  });
});

describe("multipart subscriptions and shutdown", () => {
  it("a graceful stop ends open streams with a SHUTTING_DOWN part and --graphql--", async () => {
    // Nothing else ends the stream: the task stays queued far beyond the test's timeout.
    const gateway = await startTestGateway({
      SIMULATOR_QUEUED_MS: "600000",
      SHUTDOWN_TIMEOUT_MS: "4000",
    });
    let stream: MultipartStream | undefined;
    try {
      stream = await postMultipart(gateway.url, {
        query: WATCH,
        variables: { id: await submit(gateway) },
      });
      await stream.partWhere(isEvent);
      await gateway.stop();
      await stream.ended;
      expect(stream.parts.at(-1)).toEqual({
        payload: null,
        errors: [expect.objectContaining({ extensions: { code: "SHUTTING_DOWN" } })],
      });
      expect(stream.raw().endsWith("\r\n--graphql--\r\n")).toBe(true);
    } finally {
      stream?.abort();
      await gateway.stop();
    }
  });
});

describe("a multipart client that goes away while its stream is being set up", () => {
  it("leaves nothing behind once the setup finishes: no subscriber, no slot held", async () => {
    // An identity provider that answers only when told: the gateway waits on it mid-setup.
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    let answerJwks!: () => void;
    const jwksAsked = new Promise<void>((asked) => {
      const held = new Promise<void>((resolve) => (answerJwks = resolve));
      jwksServer = http.createServer((_req, res) => {
        asked();
        void held.then(() => res.end(JSON.stringify({ keys: [jwk] })));
      });
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    const { port } = jwksServer.address() as AddressInfo;
    const gateway = await startTestGateway({
      GATEWAY_JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      MAX_SUBSCRIPTIONS_PER_CLIENT: "1",
    });
    try {
      const token = await new SignJWT({ sub: "dana" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setExpirationTime("5m")
        .sign(privateKey);
      const headers = {
        "content-type": "application/json",
        accept: "multipart/mixed;subscriptionSpec=1.0",
        authorization: `Bearer ${token}`,
      };
      const body = JSON.stringify({ query: "subscription { tasksUpdated { id } }" });
      const leaving = http.request(gateway.url, { method: "POST", headers });
      leaving.on("error", () => undefined);
      leaving.end(body);
      await jwksAsked;
      leaving.destroy(); // gone before the gateway has even read the credential
      await waitFor(() => leaving.socket?.destroyed !== false, { what: "the client to be gone" });
      answerJwks();
      // The one slot the principal has is free again: a second client gets its stream.
      const stream = await postMultipart(
        gateway.url,
        { query: "subscription { tasksUpdated { id } }" },
        { authorization: `Bearer ${token}` },
      );
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get("content-type")).toBe(MULTIPART_TYPE);
        await waitFor(() => channels(gateway) === 1, { what: "only the second stream on the bus" });
      } finally {
        stream.abort();
      }
      await waitFor(() => channels(gateway) === 0, { what: "the bus to be empty" });
    } finally {
      await gateway.stop();
    }
  });

  let jwksServer: http.Server;
  afterEach(() => jwksServer?.close());
});
