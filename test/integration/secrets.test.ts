import { Writable } from "node:stream";
import { SignJWT } from "jose";
import { loadConfig } from "../../src/app/config";
import { ConfigError } from "../../src/app/env.schema";
import { createLogger } from "../../src/observability/logger";
import type { Simulator } from "../../src/simulator/simulator.server";
import { startTestSimulator } from "../helpers/simulator";
import { GENERATE_FROM_TEXT, TASK_UPDATED, TASKS } from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const UPSTREAM_KEY = "sk-upstream-SECRET-4f1c9a7e2b";
const CLIENT_SECRET = "client-SECRET-8d2e6b0a9c71";
const JWT_SECRET = "jwt-SECRET-0c7a3e9f1b5d2a8e6c4f0b9d";
const SECRETS = [UPSTREAM_KEY, CLIENT_SECRET, JWT_SECRET];

const jwt = (claims: Record<string, unknown>, secret = JWT_SECRET, expiresIn = "5m") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

describe("secrets never leave the server", () => {
  let upstream: Simulator;
  let gateway: TestGateway;
  const logged: string[] = [];
  const answered: string[] = [];

  beforeAll(async () => {
    upstream = await startTestSimulator({ apiKey: UPSTREAM_KEY, queuedMs: 50, processingMs: 200 });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    gateway = await startTestGateway(
      {
        APIMART_API_KEY: UPSTREAM_KEY,
        APIMART_BASE_URL: upstream.url,
        GATEWAY_API_KEYS: `web:${CLIENT_SECRET}`,
        GATEWAY_JWT_SECRET: JWT_SECRET,
      },
      undefined,
      createLogger("trace", sink),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await upstream.close();
  });

  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const answer = await gateway.gql(query, variables, token);
    answered.push(JSON.stringify(answer));
    return answer;
  };

  it("through success, refusals, upstream faults and subscriptions, no log line or answer holds a secret", async () => {
    const userToken = await jwt({ sub: "user-42" });
    const created = await post(
      GENERATE_FROM_TEXT,
      { input: { prompt: "a quiet harbour" } },
      userToken,
    );
    const id = (created.body.data as { generateVideoFromText: { id: string } })
      .generateVideoFromText.id;
    await post(GENERATE_FROM_TEXT, { input: { prompt: "with a key" } }, CLIENT_SECRET);
    await post(TASKS, {}, `${CLIENT_SECRET}x`);
    await post(TASKS, {}, await jwt({ sub: "user-42" }, `${JWT_SECRET}-wrong`));
    await post(TASKS, {}, await jwt({ sub: "user-42" }, JWT_SECRET, "-1m"));
    await post(
      GENERATE_FROM_TEXT,
      { input: { prompt: "", durationSeconds: 15, mode: "PRO" } },
      userToken,
    );
    for (const status of [401, 402, 403, 500] as const) {
      upstream.faults.add({ route: "submit", fault: { type: "http", status } });
      await post(GENERATE_FROM_TEXT, { input: { prompt: "a fault" } }, userToken);
    }
    upstream.faults.add({ route: "status", times: 2, fault: { type: "http", status: 401 } });

    const client = connect(gateway.wsUrl, userToken);
    const sub = subscribe<unknown>(client, TASK_UPDATED, { id });
    await sub.done;
    answered.push(JSON.stringify(sub.events), JSON.stringify(sub.errors));
    const other = subscribe<unknown>(client, TASK_UPDATED, { id: "vt_someone-else" });
    await other.done;
    answered.push(JSON.stringify(other.errors));
    await client.dispose();
    const refused = connect(gateway.wsUrl, `${CLIENT_SECRET}-nope`);
    await subscribe<unknown>(refused, TASK_UPDATED, { id }).done.catch(() => undefined);
    await refused.dispose();
    await waitFor(() => logged.some((line) => line.includes("upstream")), {
      what: "upstream log lines",
    });

    expect(logged.length).toBeGreaterThan(10);
    expect(answered.length).toBeGreaterThan(10);
    for (const secret of SECRETS) {
      expect(logged.filter((line) => line.includes(secret))).toEqual([]);
      expect(answered.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it("a bad configuration value is named, never echoed, when it is a secret", () => {
    const attempts = [
      { GATEWAY_JWT_SECRET: "short-hush" },
      { GATEWAY_API_KEYS: "web:short-hush" },
      { GATEWAY_API_KEYS: "noColonHushAtAll0123456789" },
      { REDIS_URL: "http://user:hush@host:6379" },
      { DATABASE_URL: "mysql://user:hush@host/gateway" },
    ];
    for (const env of attempts) {
      const error = (() => {
        try {
          loadConfig(env);
        } catch (caught) {
          return caught as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.message).toContain(Object.keys(env)[0]);
      expect(error!.message.toLowerCase()).not.toContain("hush");
    }
  });
});
