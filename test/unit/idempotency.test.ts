import { openDatabase } from "../../src/store/sqlite/database";
import { SqliteIdempotencyStore } from "../../src/store/sqlite/sqlite-idempotency.store";
import { requestFingerprint } from "../../src/idempotency/idempotency-key";
import { SubmitRateLimiter } from "../../src/quotas/submit-rate.limiter";
import { ActiveTaskQuota } from "../../src/quotas/active-task.quota";
import { RateLimitedError, QuotaExceededError } from "../../src/errors";
import type { GenerationRequest } from "../../src/generation/generation.model";
import { aTextRequest } from "../helpers/fixtures";

const HOUR = 3_600_000;
const T0 = new Date(Date.UTC(2026, 0, 1));

describe("SqliteIdempotencyStore", () => {
  const db = openDatabase(":memory:");
  const store = new SqliteIdempotencyStore(db);
  afterAll(() => db.close());
  const claim = (key: string, hash: string, now: Date) =>
    store.claim({
      ownerId: "alice",
      key,
      requestHash: hash,
      now,
      ttlMs: 24 * HOUR,
      abandonAfterMs: 60_000,
    });
  const complete = (key: string, taskId: string) =>
    db
      .prepare("UPDATE idempotency_keys SET task_id = ? WHERE owner_id = 'alice' AND key = ?")
      .run(taskId, key);

  it("claims a new key once; a concurrent claim sees it in flight", async () => {
    expect(await claim("k1", "h", T0)).toEqual({ outcome: "claimed" });
    expect(await claim("k1", "h", T0)).toEqual({ outcome: "in-flight" });
  });

  it("replays a completed key with the same input and refuses another input", async () => {
    await claim("k2", "h", T0);
    complete("k2", "vt_2");
    expect(await claim("k2", "h", new Date(T0.getTime() + 1000))).toEqual({
      outcome: "replay",
      taskId: "vt_2",
    });
    expect(await claim("k2", "other", T0)).toEqual({ outcome: "conflict" });
  });

  it("keeps a key for its whole time to live (24 h), then forgets it", async () => {
    await claim("k3", "h", T0);
    complete("k3", "vt_3");
    const almost = new Date(T0.getTime() + 24 * HOUR - 1);
    expect(await claim("k3", "h", almost)).toEqual({ outcome: "replay", taskId: "vt_3" });
    expect(await claim("k3", "h", new Date(T0.getTime() + 24 * HOUR))).toEqual({
      outcome: "claimed",
    });
  });

  it("takes over a claim abandoned by a crashed process, but not a fresh one", async () => {
    await claim("k4", "h", T0);
    expect(await claim("k4", "h", new Date(T0.getTime() + 59_000))).toEqual({
      outcome: "in-flight",
    });
    expect(await claim("k4", "h", new Date(T0.getTime() + 60_000))).toEqual({ outcome: "claimed" });
  });

  it("release drops a pending claim but never a completed one", async () => {
    await claim("k5", "h", T0);
    await store.release("alice", "k5");
    expect(await claim("k5", "h", T0)).toEqual({ outcome: "claimed" });
    complete("k5", "vt_5");
    await store.release("alice", "k5");
    expect(await claim("k5", "h", T0)).toEqual({ outcome: "replay", taskId: "vt_5" });
  });

  it("purges expired keys", async () => {
    await claim("k6", "h", T0);
    expect(await store.purgeExpired(new Date(T0.getTime() + 25 * HOUR))).toBeGreaterThanOrEqual(1);
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
