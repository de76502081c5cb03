import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { GENERATE_FROM_TEXT, TASK, TASK_UPDATED, type TaskView } from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const SECRET = "jwt-integration-secret-0123456789abcdef";
type Generated = { generateVideoFromText: TaskView };
type Updated = { taskUpdated: TaskView };

const hs256 = (sub: string, expiresIn = "5m") =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(SECRET));

describe("per-user identity with JWT, over HTTP and WebSocket", () => {
  let gateway: TestGateway;
  let jwks: http.Server;
  let signRs256: (sub: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    jwks = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    signRs256 = (sub) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setSubject(sub)
        .setExpirationTime("5m")
        .sign(privateKey);
    gateway = await startTestGateway({ GATEWAY_JWT_SECRET: SECRET, GATEWAY_JWT_JWKS_URL: jwksUrl });
  });
  afterAll(async () => {
    await gateway.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it("each user sees only their own tasks, whichever way their token is signed", async () => {
    const ann = await hs256("ann");
    const { body } = await gateway.gql<Generated>(
      GENERATE_FROM_TEXT,
      { input: { prompt: "a fern" } },
      ann,
    );
    const id = body.data!.generateVideoFromText.id;
    expect(
      (await gateway.gql<{ task: TaskView }>(TASK, { id }, ann)).body.data!.task,
    ).toMatchObject({ id });
    const ben = await signRs256("ben");
    expect(
      (await gateway.gql<{ task: TaskView | null }>(TASK, { id }, ben)).body.data!.task,
    ).toBeNull();
  });

  it("a JWT in connectionParams authenticates the WebSocket, with the same principal", async () => {
    const ann = await hs256("ann");
    const { body } = await gateway.gql<Generated>(
      GENERATE_FROM_TEXT,
      { input: { prompt: "a moss" } },
      ann,
    );
    const client = connect(gateway.wsUrl, ann);
    try {
      const sub = subscribe<Updated>(client, TASK_UPDATED, {
        id: body.data!.generateVideoFromText.id,
      });
      await sub.done;
      expect(sub.events.at(-1)!.taskUpdated.status).toBe("SUCCEEDED");
    } finally {
      await client.dispose();
    }
  });

  it.each([
    ["an expired token", () => hs256("ann", "-1m")],
    [
      "a token without exp (it would never expire)",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("ann")
          .setIssuedAt()
          .sign(new TextEncoder().encode(SECRET)),
    ],
    [
      "a token signed with another secret",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("ann")
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(`${SECRET}-not`)),
    ],
  ])("%s is refused: 401 over HTTP, 4403 over WebSocket", async (_what, token) => {
    const bad = await token();
    const { status } = await gateway.gql(TASK, { id: "vt_x" }, bad);
    expect(status).toBe(401);
    let closed: { code: number } | undefined;
    const client = connect(gateway.wsUrl, bad, (event) => (closed = event));
    try {
      await subscribe<Updated>(client, TASK_UPDATED, { id: "vt_x" }).done.catch(() => undefined);
      expect(closed?.code).toBe(4403);
    } finally {
      await client.dispose();
    }
  });
});

describe("when the identity provider's keys cannot be fetched", () => {
  it("a token is answered SERVICE_UNAVAILABLE with a retry time (HTTP 503), and a socket is closed with 1013, not 4403", async () => {
    // A JWKS URL where nothing listens: a port that was just free.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const gateway = await startTestGateway({
      GATEWAY_JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
    });
    try {
      const { privateKey } = await generateKeyPair("RS256");
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setSubject("cleo")
        .setExpirationTime("5m")
        .sign(privateKey);
      const { status, body } = await gateway.gql(TASK, { id: "vt_any" }, token);
      expect(status).toBe(503);
      expect(body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 },
        }),
      ]);
      const closed = new Promise<{ code: number }>((resolve) => {
        const client = connect(gateway.wsUrl, token, resolve);
        subscribe(client, TASK_UPDATED, { id: "vt_any" });
      });
      expect((await closed).code).toBe(1013);
    } finally {
      await gateway.stop();
    }
  });
});
