import { openDatabase } from "../../src/store/sqlite/database";
import { SqliteIdempotencyStore } from "../../src/store/sqlite/sqlite-idempotency.store";
import { requestFingerprint } from "../../src/idempotency/idempotency-key";
import { SubmitRateLimiter } from "../../src/quotas/submit-rate.limiter";
import { ActiveTaskQuota } from "../../src/quotas/active-task.quota";
import { RateLimitedError, QuotaExceededError } from "../../src/errors";
import type { GenerationRequest } from "../../src/generation/generation.model";
import { aTaskRecord, aTextRequest } from "../helpers/fixtures";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";

const HOUR = 3_600_000;
const T0 = new Date(Date.UTC(2026, 0, 1));

describe("SqliteIdempotencyStore", () => {
  const db = openDatabase(":memory:");
  const store = new SqliteIdempotencyStore(db);
  const tasks = new SqliteTaskStore(db);
  afterAll(() => db.close());
  const claim = (key: string, hash: string, now: Date, taskId = `vt_${key}`) =>
    store.claim({
      ownerId: "alice",
      key,
      requestHash: hash,
      taskId,
      now,
      ttlMs: 24 * HOUR,
      abandonAfterMs: 60_000,
    });
  const at = (ms: number) => new Date(T0.getTime() + ms);

  it("claims a new key once; a concurrent claim sees it in flight", async () => {
    expect(await claim("k1", "h", T0)).toEqual({ outcome: "claimed" });
    expect(await claim("k1", "h", T0, "vt_other")).toEqual({ outcome: "in-flight" });
  });

  it("replays a completed key with the same input and refuses another input", async () => {
    await claim("k2", "h", T0);
    await store.complete("alice", "k2", "vt_k2");
    expect(await claim("k2", "h", at(1000), "vt_new")).toEqual({
      outcome: "replay",
      taskId: "vt_k2",
    });
    expect(await claim("k2", "other", T0)).toEqual({ outcome: "conflict" });
  });

  it("keeps a key for its whole time to live (24 h), then forgets it", async () => {
    await claim("k3", "h", T0);
    await store.complete("alice", "k3", "vt_k3");
    expect(await claim("k3", "h", at(24 * HOUR - 1), "vt_x")).toEqual({
      outcome: "replay",
      taskId: "vt_k3",
    });
    expect(await claim("k3", "h", at(24 * HOUR), "vt_y")).toEqual({ outcome: "claimed" });
  });

  it("a claim abandoned by a crashed process before it wrote its task is free again; a fresh one is not", async () => {
    await claim("k4", "h", T0);
    expect(await claim("k4", "h", at(59_000), "vt_a")).toEqual({ outcome: "in-flight" });
    expect(await claim("k4", "h", at(60_000), "vt_b")).toEqual({ outcome: "claimed" });
  });

  it("a claim abandoned after its task was written replays that task (the poller reconciles it)", async () => {
    await claim("k5", "h", T0, "vt_written");
    await tasks.insert(aTaskRecord({ id: "vt_written", upstreamTaskId: null }));
    expect(await claim("k5", "h", at(60_000), "vt_c")).toEqual({
      outcome: "replay",
      taskId: "vt_written",
    });
  });

  it("release and complete act only on their own claim, never on one that took it over", async () => {
    await claim("k6", "h", T0, "vt_old");
    expect(await claim("k6", "h", at(60_000), "vt_new")).toEqual({ outcome: "claimed" });
    await store.release("alice", "k6", "vt_old");
    await store.complete("alice", "k6", "vt_old");
    expect(await claim("k6", "h", at(61_000), "vt_z")).toEqual({ outcome: "in-flight" });
    await store.release("alice", "k6", "vt_new");
    expect(await claim("k6", "h", at(61_000), "vt_z")).toEqual({ outcome: "claimed" });
  });

  it("release never drops a completed claim", async () => {
    await claim("k7", "h", T0);
    await store.complete("alice", "k7", "vt_k7");
    await store.release("alice", "k7", "vt_k7");
    expect(await claim("k7", "h", T0, "vt_q")).toEqual({ outcome: "replay", taskId: "vt_k7" });
  });

  it("purges expired keys", async () => {
    await claim("k8", "h", T0);
    expect(await store.purgeExpired(at(25 * HOUR))).toBeGreaterThanOrEqual(1);
  });
});

describe("requestFingerprint", () => {
  const request = aTextRequest();

  it("is the same for the same input whatever the key order, and differs for another input", () => {
    const reordered = Object.fromEntries(Object.entries(request).reverse()) as GenerationRequest;
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
    expect(requestFingerprint({ ...request, durationSeconds: 10 })).not.toBe(
      requestFingerprint(request),
    );
  });
});

describe("SubmitRateLimiter", () => {
  it("allows N per sliding minute per principal and says when the next is allowed", () => {
    let now = 0;
    const limiter = new SubmitRateLimiter(2, () => now);
    limiter.take("a");
    now = 10_000;
    limiter.take("a");
    limiter.take("b");
    now = 20_000;
    expect(() => limiter.take("a")).toThrow(RateLimitedError);
    try {
      limiter.take("a");
    } catch (error) {
      expect((error as RateLimitedError).extensions.retryAfterSeconds).toBe(40);
    }
    now = 60_001;
    expect(() => limiter.take("a")).not.toThrow();
  });

  it("is off at 0", () => {
    const limiter = new SubmitRateLimiter(0);
    for (let i = 0; i < 1000; i++) limiter.take("a");
  });
});

describe("ActiveTaskQuota", () => {
  it("counts stored active tasks and reservations in flight, under concurrency", async () => {
    let stored = 1;
    const quota = new ActiveTaskQuota({ countActiveByOwner: async () => stored }, 3);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => quota.reserve("a")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(QuotaExceededError);
    // A released reservation whose task was stored still counts through the store.
    const release = (results[0] as PromiseFulfilledResult<() => void>).value;
    stored = 2;
    release();
    release();
    await expect(quota.reserve("a")).rejects.toBeInstanceOf(QuotaExceededError);
    stored = 1;
    await expect(quota.reserve("a")).resolves.toBeInstanceOf(Function);
  });
});
