import { RateLimiterMemory } from "rate-limiter-flexible";
import type { GenerationRequest } from "../../src/domain/generation-request";
import type { TaskRecord } from "../../src/domain/task";
import { IdempotencyKeyReusedError, RateLimitedError } from "../../src/errors/gateway-errors";
import { IdempotencyGuard, type ClaimedSubmit } from "../../src/idempotency/idempotency.guard";
import { requestFingerprint } from "../../src/idempotency/idempotency-key";
import { createLogger } from "../../src/observability/logger";
import type { InstanceRegistry } from "../../src/ports/instance-registry";
import { submitRateLimiter } from "../../src/rate-limit/flexible.submit-rate-limiter";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { aTaskRecord, aTextRequest } from "../helpers/fixtures";
import { waitFor } from "../helpers/wait-for";

describe("IdempotencyGuard", () => {
  let store: SqliteTaskStore;
  let alive: Set<string>;
  let orphans: TaskRecord[];
  const instances = (selfId: string): InstanceRegistry => ({
    selfId,
    isAlive: async (id) => alive.has(id),
  });
  const guard = (selfId = "me", submitWindowMs = 60_000) =>
    new IdempotencyGuard(
      store,
      instances(selfId),
      { ttlMs: 86_400_000, submitWindowMs, pollMs: 5 },
      (task) => orphans.push(task),
      createLogger("silent"),
    );
  let ids = 0;
  const nextId = () => `vt_${++ids}`;
  /** A submit that writes the task under the claim and resolves once `release` is called. */
  const heldSubmit = () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    const submit: ClaimedSubmit = async (claim, taskId) => {
      calls.push(taskId);
      const task = aTaskRecord({ id: taskId, upstreamTaskId: null, createdAt: new Date() });
      const admitted = await store.admit(task, { maxActivePerOwner: 0, idempotency: claim });
      if (admitted.outcome === "replay" || admitted.outcome === "conflict") return admitted;
      await gate;
      return task;
    };
    return { submit, release, calls };
  };

  beforeEach(() => {
    store = new SqliteTaskStore(":memory:");
    alive = new Set(["me"]);
    orphans = [];
  });
  afterEach(() => store.close());

  it("runs the submit once for concurrent requests in one process, and they share its task", async () => {
    const g = guard();
    const held = heldSubmit();
    const runs = Array.from({ length: 5 }, () => g.run("key:alice", "k", "h", nextId, held.submit));
    held.release();
    const tasks = await Promise.all(runs);
    expect(held.calls).toHaveLength(1);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(1);
  });

  it("refuses the same key with another input, in flight and after", async () => {
    const g = guard();
    const held = heldSubmit();
    const first = g.run("key:alice", "k", "h", nextId, held.submit);
    await expect(g.run("key:alice", "k", "other", nextId, held.submit)).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    held.release();
    await first;
    await expect(g.run("key:alice", "k", "other", nextId, held.submit)).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });

  it("answers a replay of a submit cut off by a crash at once, with the task written ahead", async () => {
    const crashed = heldSubmit(); // never released: its process died mid-submit
    void guard("dead").run("key:alice", "k", "h", nextId, crashed.submit);
    await new Promise((resolve) => setImmediate(resolve));
    const replay = heldSubmit();
    const task = await guard("me").run("key:alice", "k", "h", nextId, replay.submit);
    expect(task.id).toBe(crashed.calls[0]);
    expect(replay.calls).toHaveLength(0);
    expect(orphans.map((t) => t.id)).toEqual([task.id]);
    expect((await store.findKey("key:alice", "k", new Date()))!.state).toBe("settled");
  });

  it("waits for a submit in flight on another live instance, then returns its task", async () => {
    alive.add("other");
    const elsewhere = heldSubmit();
    const first = guard("other").run("key:alice", "k", "h", nextId, elsewhere.submit);
    await waitFor(() => store.findKey("key:alice", "k", new Date()), { what: "the claim" });
    let looks = 0;
    const counted = new IdempotencyGuard(
      {
        findKey: (...args) => ((looks += 1), store.findKey(...args)),
        settleKey: (...args) => store.settleKey(...args),
        get: (id) => store.get(id),
      },
      instances("me"),
      { ttlMs: 86_400_000, submitWindowMs: 60_000, pollMs: 5 },
      (task) => orphans.push(task),
      createLogger("silent"),
    );
    let answered = false;
    const replay = counted
      .run("key:alice", "k", "h", nextId, heldSubmit().submit)
      .then((task) => ((answered = true), task));
    // Three looks at the key, each finding the submit still in flight on a live instance.
    await waitFor(() => looks >= 3, { what: "the replay to look at the key three times" });
    expect(answered).toBe(false);
    elsewhere.release();
    expect((await replay).id).toBe((await first).id);
    expect(orphans).toEqual([]);
  });

  it("a replay of a submit that ended here but could not settle its key (disk full) gets the task at once", async () => {
    let looks = 0;
    const unsettled = new IdempotencyGuard(
      {
        findKey: (...args) => ((looks += 1), store.findKey(...args)),
        get: (id) => store.get(id),
        settleKey: async () => {
          throw new Error("database or disk is full");
        },
      },
      instances("me"),
      { ttlMs: 86_400_000, submitWindowMs: 60_000, pollMs: 5 },
      (task) => orphans.push(task),
      createLogger("silent"),
    );
    const first = heldSubmit();
    first.release();
    const task = await unsettled.run("key:alice", "k", "h", nextId, first.submit);
    expect((await store.findKey("key:alice", "k", new Date()))!.state).toBe("submitting");

    const looksBefore = looks;
    const replay = await unsettled.run("key:alice", "k", "h", nextId, heldSubmit().submit);
    expect(replay.id).toBe(task.id);
    // At once: one look at the key, no waiting for the submit window (60 s) to pass.
    expect(looks - looksBefore).toBe(1);
    expect(first.calls).toHaveLength(1);
  });

  it("a replay after a refused submit tries again: the key was deleted with its task", async () => {
    const g = guard();
    const refused: ClaimedSubmit = async (claim, taskId) => {
      await store.admit(aTaskRecord({ id: taskId, upstreamTaskId: null }), {
        maxActivePerOwner: 0,
        idempotency: claim,
      });
      await store.discard(taskId);
      throw new Error("refused upstream");
    };
    await expect(g.run("key:alice", "k", "h", nextId, refused)).rejects.toThrow("refused");
    const retry = heldSubmit();
    retry.release();
    const task = await g.run("key:alice", "k", "h", nextId, retry.submit);
    expect(retry.calls).toEqual([task.id]);
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

describe("submitRateLimiter", () => {
  const limiter = () => submitRateLimiter(2, (window) => new RateLimiterMemory(window));

  it("allows N per minute per principal and says when the next is allowed", async () => {
    const rate = limiter();
    await rate.take("a");
    await rate.take("a");
    await rate.take("b");
    const refusal = await rate.take("a").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    const { retryAfterSeconds } = (refusal as RateLimitedError).extensions;
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("lets every submit through at 0 submits per minute (no limit)", async () => {
    const rate = submitRateLimiter(0, (window) => new RateLimiterMemory(window));
    for (let i = 0; i < 100; i++) await rate.take("a");
  });

  it("gives a refunded submit back", async () => {
    const rate = limiter();
    await rate.take("a");
    await rate.take("a");
    await rate.refund("a");
    await expect(rate.take("a")).resolves.toBeUndefined();
  });
});
