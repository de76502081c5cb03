import type { GenerationRequest } from "../../src/domain/generation-request";
import type { Principal } from "../../src/domain/principal";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import { GenerationService } from "../../src/generation/generation.service";
import { IdempotencyGuard } from "../../src/idempotency/idempotency.guard";
import { createLogger } from "../../src/observability/logger";
import {
  NO_METRICS,
  type GatewayMetrics,
  type SubmitOutcome,
  type SubmitRefusal,
} from "../../src/ports/metrics";
import type { TaskStore } from "../../src/ports/task-store";
import { UpstreamError, type UpstreamClient } from "../../src/ports/upstream-client";
import { UNLIMITED_SUBMITS } from "../../src/rate-limit/flexible.submit-rate-limiter";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { aTextRequest } from "../helpers/fixtures";

/** What the service recorded, in order: `accepted`, `refused/upstream_bad_request`, `QUEUED`. */
function recordingMetrics(): GatewayMetrics & { recorded: string[] } {
  const recorded: string[] = [];
  return {
    ...NO_METRICS,
    recorded,
    submit: (outcome: SubmitOutcome, reason?: SubmitRefusal) =>
      recorded.push(reason ? `${outcome}/${reason}` : outcome),
    taskEntered: (status: TaskStatus) => recorded.push(status),
  };
}

/** An upstream that answers each submit with `answer()`, counting the calls. */
function upstreamAnswering(answer: () => Promise<{ upstreamTaskId: string }>) {
  const upstream: UpstreamClient & { submits: number } = {
    submits: 0,
    submit: async () => {
      upstream.submits += 1;
      return answer();
    },
    getTask: () => Promise.reject(new Error("not polled in these tests")),
  };
  return upstream;
}

describe("GenerationService counts each submit request once", () => {
  const principal: Principal = { id: "key:alice", via: "client-key" };
  let sqlite: SqliteTaskStore;
  let tracked: TaskRecord[];

  beforeEach(() => {
    sqlite = new SqliteTaskStore(":memory:");
    tracked = [];
  });
  afterEach(() => sqlite.close());

  const service = (
    upstream: UpstreamClient,
    metrics: GatewayMetrics,
    store: TaskStore = sqlite,
  ): GenerationService =>
    new GenerationService({
      upstream,
      store,
      tracker: { track: (task) => tracked.push(task) },
      idempotency: new IdempotencyGuard(
        store,
        { selfId: "me", isAlive: async () => true },
        { ttlMs: 86_400_000, submitWindowMs: 60_000, pollMs: 5 },
        (task) => tracked.push(task),
        createLogger("silent"),
      ),
      rateLimiter: UNLIMITED_SUBMITS,
      maxActiveTasks: 0,
      metrics,
      logger: createLogger("silent"),
    });

  /** The SQLite store, except that recording the upstream's id fails (a full disk). */
  const unconfirmable = (): TaskStore =>
    Object.assign(Object.create(sqlite) as SqliteTaskStore, {
      confirmSubmit: () => Promise.reject(new Error("database or disk is full")),
    });
  const accepting = () => upstreamAnswering(async () => ({ upstreamTaskId: "task_1" }));
  const request: GenerationRequest = aTextRequest();

  it.each([
    ["without an idempotency key", undefined],
    ["with an idempotency key", "k1"],
  ])(
    "a submit accepted upstream that the store could not confirm is accepted and enters QUEUED (%s)",
    async (_, key) => {
      const metrics = recordingMetrics();
      const task = await service(accepting(), metrics, unconfirmable()).submit(
        principal,
        request,
        key,
      );
      expect(task.status).toBe(TaskStatus.QUEUED);
      expect(tracked.map((t) => t.id)).toEqual([task.id]);
      expect(metrics.recorded).toEqual(["accepted", "QUEUED"]);
    },
  );

  it("a replay of an accepted key is counted as replayed and makes no upstream call", async () => {
    const metrics = recordingMetrics();
    const upstream = accepting();
    const gateway = service(upstream, metrics);
    const first = await gateway.submit(principal, request, "k1");
    const replay = await gateway.submit(principal, request, "k1");
    expect(replay.id).toBe(first.id);
    expect(upstream.submits).toBe(1);
    expect(metrics.recorded).toEqual(["accepted", "QUEUED", "replayed"]);
  });

  it.each([
    ["accepted", () => Promise.resolve({ upstreamTaskId: "task_1" })],
    ["refused", () => Promise.reject(new UpstreamError("payment_required", "HTTP 402"))],
  ])(
    "a request that shares a submit in flight is counted as replayed (submit %s)",
    async (_, answer) => {
      const metrics = recordingMetrics();
      const upstream = upstreamAnswering(answer);
      const gateway = service(upstream, metrics);
      const both = await Promise.allSettled([
        gateway.submit(principal, request, "k1"),
        gateway.submit(principal, request, "k1"),
      ]);
      expect(upstream.submits).toBe(1);
      expect(both[1].status).toBe(both[0].status);
      expect(metrics.recorded.filter((r) => r === "replayed")).toHaveLength(1);
      expect(metrics.recorded.filter((r) => r !== "QUEUED")).toHaveLength(2);
    },
  );

  it("an upstream refusal is counted with the upstream's reason, and no task enters QUEUED", async () => {
    const metrics = recordingMetrics();
    const upstream = upstreamAnswering(() =>
      Promise.reject(new UpstreamError("payment_required", "HTTP 402", { httpStatus: 402 })),
    );
    await expect(service(upstream, metrics).submit(principal, request)).rejects.toMatchObject({
      extensions: { code: "INSUFFICIENT_UPSTREAM_BALANCE" },
    });
    expect(metrics.recorded).toEqual(["refused/upstream_payment_required"]);
  });

  it("a submit whose outcome is unknown is counted as such, keeps its task and enters no status yet", async () => {
    const metrics = recordingMetrics();
    const upstream = upstreamAnswering(() =>
      Promise.reject(new UpstreamError("timeout", "timed out", { outcomeUnknown: true })),
    );
    const error = await service(upstream, metrics)
      .submit(principal, request, "k1")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: "UPSTREAM_UNAVAILABLE" } });
    expect(metrics.recorded).toEqual(["outcome_unknown"]);
    expect(tracked).toHaveLength(1);
  });

  it("a key used with another input is counted as refused, with no upstream call", async () => {
    const metrics = recordingMetrics();
    const upstream = accepting();
    const gateway = service(upstream, metrics);
    await gateway.submit(principal, request, "k1");
    await expect(
      gateway.submit(principal, { ...request, durationSeconds: 10 }, "k1"),
    ).rejects.toMatchObject({ extensions: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(upstream.submits).toBe(1);
    expect(metrics.recorded).toEqual(["accepted", "QUEUED", "refused/idempotency_key_reused"]);
  });
});
