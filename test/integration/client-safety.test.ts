import {
  GENERATE_FROM_IMAGE,
  GENERATE_FROM_TEXT,
  TASK,
  type TaskView,
} from "../helpers/operations";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";
const KEYS = `alice:${ALICE},bob:${BOB}`;
type Generated = { generateVideoFromText: TaskView };

const submitWith = (gateway: TestGateway, token: string, prompt: string, key?: string) =>
  gateway.gql<Generated>(GENERATE_FROM_TEXT, { input: { prompt }, idempotencyKey: key }, token);

describe("idempotent submits", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: KEYS, UPSTREAM_SUBMIT_TIMEOUT_MS: "300" });
  });
  afterEach(() => gateway.simulator!.faults.clear());
  afterAll(() => gateway.stop());
  const upstreamSubmits = () => gateway.simulator!.stats().submits;

  it("a second submit with the same key and input returns the first task and makes no upstream call", async () => {
    const first = await submitWith(gateway, ALICE, "a heron", "order-1");
    const before = upstreamSubmits();
    const second = await submitWith(gateway, ALICE, "a heron", "order-1");
    expect(second.body.data!.generateVideoFromText.id).toBe(
      first.body.data!.generateVideoFromText.id,
    );
    expect(upstreamSubmits()).toBe(before);
  });

  it("10 concurrent submits with one key make one upstream submit and return one task", async () => {
    const before = upstreamSubmits();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => submitWith(gateway, ALICE, "a crane", "double-tap")),
    );
    const ids = new Set(answers.map((a) => a.body.data?.generateVideoFromText.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^vt_/);
    expect(upstreamSubmits()).toBe(before + 1);
  });

  it("the same key with another input is IDEMPOTENCY_KEY_REUSED naming the key, at no upstream cost", async () => {
    await submitWith(gateway, ALICE, "a swan", "order-2");
    const before = upstreamSubmits();
    const { body } = await submitWith(gateway, ALICE, "a goose", "order-2");
    expect(body.errors![0].extensions).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      idempotencyKey: "order-2",
    });
    expect(body.errors![0].message).toContain("order-2");
    const image = await gateway.gql(
      GENERATE_FROM_IMAGE,
      {
        input: { prompt: "a swan", firstFrameUrl: "https://x.example/a.png" },
        idempotencyKey: "order-2",
      },
      ALICE,
    );
    expect(image.body.errors![0].extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(upstreamSubmits()).toBe(before);
  });

  it("keys are scoped to the principal: the same key from two principals makes two tasks", async () => {
    const alice = await submitWith(gateway, ALICE, "a loon", "shared-key");
    const bob = await submitWith(gateway, BOB, "a loon", "shared-key");
    expect(alice.body.data!.generateVideoFromText.id).not.toBe(
      bob.body.data!.generateVideoFromText.id,
    );
  });

  it("a failed submit is not remembered: a retry with the same key tries again", async () => {
    gateway.simulator!.faults.add({ route: "submit", fault: { type: "http", status: 503 } });
    const failed = await submitWith(gateway, ALICE, "an owl", "retry-me");
    expect(failed.body.errors![0].extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    const retried = await submitWith(gateway, ALICE, "an owl", "retry-me");
    expect(retried.body.data!.generateVideoFromText.status).toBe("QUEUED");
  });

  it("an unknown outcome keeps the task: a retry with the same key returns it, and it is created once upstream", async () => {
    const accepted = gateway.simulator!.stats().acceptedSubmits;
    gateway.simulator!.faults.add({ route: "submit", fault: { type: "hang", afterAccept: true } });
    const lost = await submitWith(gateway, ALICE, "a wren", "lost-answer");
    const taskId = lost.body.errors![0].extensions?.taskId;
    expect(lost.body.errors![0].extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    const retried = await submitWith(gateway, ALICE, "a wren", "lost-answer");
    expect(retried.body.data!.generateVideoFromText.id).toBe(taskId);
    await waitFor(async () => {
      const { body } = await gateway.gql<{ task: TaskView }>(TASK, { id: taskId }, ALICE);
      return body.data!.task.status === "SUCCEEDED";
    });
    expect(gateway.simulator!.stats().acceptedSubmits).toBe(accepted + 1);
  });

  it.each([
    ["empty", ""],
    ["longer than 255 characters", "k".repeat(256)],
    ["with a space", "my key"],
    ["with a non-ASCII character", "clé"],
    ["with a control character", "a\u0007b"],
  ])("a key %s is BAD_USER_INPUT naming idempotencyKey", async (_what, key) => {
    const before = upstreamSubmits();
    const { body } = await submitWith(gateway, ALICE, "a finch", key);
    expect(body.errors![0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path: "idempotencyKey", message: expect.stringContaining("visible ASCII") }],
    });
    expect(upstreamSubmits()).toBe(before);
  });
});

describe("quotas and rate limits, before any upstream call", () => {
  it("MAX_ACTIVE_TASKS_PER_CLIENT: of 10 concurrent submits with room for 3, exactly 3 reach the upstream", async () => {
    const gateway = await startTestGateway({
      GATEWAY_API_KEYS: KEYS,
      MAX_ACTIVE_TASKS_PER_CLIENT: "3",
      SIMULATOR_PROCESSING_MS: "60000",
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => submitWith(gateway, ALICE, `bird ${i}`)),
      );
      const codes = answers.map((a) => a.body.errors?.[0].extensions?.code ?? "OK");
      expect(codes.filter((c) => c === "OK")).toHaveLength(3);
      expect(codes.filter((c) => c === "QUOTA_EXCEEDED")).toHaveLength(7);
      expect(gateway.simulator!.stats().submits).toBe(3);
      // Another principal has its own quota.
      const bob = await submitWith(gateway, BOB, "bob's bird");
      expect(bob.body.errors).toBeUndefined();
    } finally {
      await gateway.stop();
    }
  });

  it("a finished task frees its quota slot", async () => {
    const gateway = await startTestGateway({
      GATEWAY_API_KEYS: KEYS,
      MAX_ACTIVE_TASKS_PER_CLIENT: "1",
    });
    try {
      const first = await submitWith(gateway, ALICE, "one");
      const refused = await submitWith(gateway, ALICE, "two");
      expect(refused.body.errors![0].extensions?.code).toBe("QUOTA_EXCEEDED");
      await waitFor(async () => {
        const id = first.body.data!.generateVideoFromText.id;
        const { body } = await gateway.gql<{ task: TaskView }>(TASK, { id }, ALICE);
        return body.data!.task.status === "SUCCEEDED";
      });
      const later = await submitWith(gateway, ALICE, "two");
      expect(later.body.errors).toBeUndefined();
    } finally {
      await gateway.stop();
    }
  });

  it("RATE_LIMIT_SUBMITS_PER_MINUTE: of 10 concurrent submits at 4 per minute, 4 pass and 6 are RATE_LIMITED with retryAfterSeconds", async () => {
    const gateway = await startTestGateway({
      GATEWAY_API_KEYS: KEYS,
      RATE_LIMIT_SUBMITS_PER_MINUTE: "4",
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => submitWith(gateway, ALICE, `fish ${i}`)),
      );
      const limited = answers.filter((a) => a.body.errors?.[0].extensions?.code === "RATE_LIMITED");
      expect(limited).toHaveLength(6);
      const retryAfter = limited[0].body.errors![0].extensions!.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(gateway.simulator!.stats().submits).toBe(4);
    } finally {
      await gateway.stop();
    }
  });

  it("a replay of an idempotent submit is free: it passes when quota and rate are used up", async () => {
    const gateway = await startTestGateway({
      GATEWAY_API_KEYS: KEYS,
      MAX_ACTIVE_TASKS_PER_CLIENT: "1",
      RATE_LIMIT_SUBMITS_PER_MINUTE: "2",
      SIMULATOR_PROCESSING_MS: "60000",
    });
    try {
      const first = await submitWith(gateway, ALICE, "a seal", "only-one");
      const replay = await submitWith(gateway, ALICE, "a seal", "only-one");
      expect(replay.body.data!.generateVideoFromText.id).toBe(
        first.body.data!.generateVideoFromText.id,
      );
      const fresh = await submitWith(gateway, ALICE, "another seal", "second");
      // The rate is checked first: had the replay taken the second submit of the minute, this
      // would be RATE_LIMITED; had it taken a slot of the quota, the replay would have failed.
      expect(fresh.body.errors![0].extensions?.code).toBe("QUOTA_EXCEEDED");
      const again = await submitWith(gateway, ALICE, "another seal", "third");
      // The refused submit gave its rate point back, so the quota is still what refuses.
      expect(again.body.errors![0].extensions?.code).toBe("QUOTA_EXCEEDED");
    } finally {
      await gateway.stop();
    }
  });
});
