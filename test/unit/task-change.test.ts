import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../../src/generation/generation.model";
import { taskChangeFrom, timedOutChange } from "../../src/poller/task-change";
import { TaskStatus, type TaskRecord } from "../../src/tasks/task.model";
import type { UpstreamTaskState } from "../../src/upstream/upstream.types";

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const NOW = new Date(T0 + 90_000);
const VIDEO = {
  url: "https://upload.apimart.ai/f/video/x.mp4",
  thumbnailUrl: "https://upload.apimart.ai/f/video/x.jpg",
  expiresAt: new Date(T0 + 86_400_000),
};

function taskRecord(fields: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: "vt_1",
    ownerId: "key:alice",
    upstreamTaskId: "task_1",
    status: TaskStatus.QUEUED,
    providerStatus: "submitted",
    progress: 0,
    version: 1,
    request: {
      kind: GenerationKind.TEXT_TO_VIDEO,
      model: VideoModel.KLING_V3,
      prompt: "a hummingbird in slow motion",
      negativePrompt: null,
      mode: GenerationMode.STD,
      durationSeconds: 5,
      aspectRatio: AspectRatio.LANDSCAPE_16_9,
      firstFrameUrl: null,
      lastFrameUrl: null,
      watermark: null,
    },
    video: null,
    error: null,
    estimatedTotalSeconds: null,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    completedAt: null,
    ...fields,
  };
}

function upstreamState(fields: Partial<UpstreamTaskState> = {}): UpstreamTaskState {
  return {
    upstreamTaskId: "task_1",
    providerStatus: "processing",
    progress: 0,
    estimatedSeconds: null,
    createdAt: new Date(T0),
    completedAt: null,
    video: null,
    error: null,
    ...fields,
  };
}

describe("taskChangeFrom", () => {
  it("takes pending as QUEUED and records the provider's word for it", () => {
    expect(
      taskChangeFrom(taskRecord(), upstreamState({ providerStatus: "pending" }), NOW),
    ).toStrictEqual({
      status: TaskStatus.QUEUED,
      providerStatus: "pending",
      progress: 0,
      estimatedTotalSeconds: null,
      video: null,
      error: null,
      completedAt: null,
    });
  });

  it("takes processing as PROCESSING with its progress and estimate", () => {
    expect(
      taskChangeFrom(taskRecord(), upstreamState({ progress: 42, estimatedSeconds: 300 }), NOW),
    ).toStrictEqual({
      status: TaskStatus.PROCESSING,
      providerStatus: "processing",
      progress: 42,
      estimatedTotalSeconds: 300,
      video: null,
      error: null,
      completedAt: null,
    });
  });

  it("reports a change of progress alone", () => {
    const task = taskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing" });
    expect(taskChangeFrom(task, upstreamState({ progress: 10 }), NOW)).toMatchObject({
      progress: 10,
    });
  });

  it("keeps the last known estimate when the upstream stops sending one", () => {
    const task = taskRecord({ estimatedTotalSeconds: 120 });
    expect(taskChangeFrom(task, upstreamState({ progress: 5 }), NOW)).toMatchObject({
      estimatedTotalSeconds: 120,
    });
  });

  it.each([
    [150, 100],
    [-3, 0],
    [33.6, 34],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
  ])("clamps an upstream progress of %p to %i", (progress, expected) => {
    expect(taskChangeFrom(taskRecord(), upstreamState({ progress }), NOW)?.progress).toBe(expected);
  });

  it("takes completed with a video as SUCCEEDED at 100 %, completed when the upstream says", () => {
    const completedAt = new Date(T0 + 80_000);
    expect(
      taskChangeFrom(
        taskRecord({ status: TaskStatus.PROCESSING, progress: 90 }),
        upstreamState({ providerStatus: "completed", progress: 90, video: VIDEO, completedAt }),
        NOW,
      ),
    ).toStrictEqual({
      status: TaskStatus.SUCCEEDED,
      providerStatus: "completed",
      progress: 100,
      estimatedTotalSeconds: null,
      video: VIDEO,
      error: null,
      completedAt,
    });
  });

  it("dates the completion now when the upstream does not say when", () => {
    const change = taskChangeFrom(
      taskRecord(),
      upstreamState({ providerStatus: "completed", video: VIDEO }),
      NOW,
    );
    expect(change?.completedAt).toBe(NOW);
  });

  it("does not take completed without a video as success: the task stays running", () => {
    const change = taskChangeFrom(
      taskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing", progress: 95 }),
      upstreamState({ providerStatus: "completed", progress: 100 }),
      NOW,
    );
    expect(change).toMatchObject({
      status: TaskStatus.PROCESSING,
      providerStatus: "completed",
      video: null,
      completedAt: null,
    });
  });

  it("takes failed as FAILED with the upstream's message under GENERATION_FAILED", () => {
    expect(
      taskChangeFrom(
        taskRecord({ status: TaskStatus.PROCESSING }),
        upstreamState({
          providerStatus: "failed",
          progress: 30,
          error: { code: "content_policy", message: "The prompt was refused.", type: null },
        }),
        NOW,
      ),
    ).toStrictEqual({
      status: TaskStatus.FAILED,
      providerStatus: "failed",
      progress: 30,
      estimatedTotalSeconds: null,
      video: null,
      error: { code: "GENERATION_FAILED", message: "The prompt was refused." },
      completedAt: NOW,
    });
  });

  it.each([
    ["no error at all", null],
    ["an empty message", { code: "x", message: "", type: null }],
  ])("falls back to a generic failure message when the upstream gives %s", (_case, error) => {
    const change = taskChangeFrom(
      taskRecord(),
      upstreamState({ providerStatus: "failed", error }),
      NOW,
    );
    expect(change?.error).toEqual({
      code: "GENERATION_FAILED",
      message: "The video could not be generated.",
    });
  });

  it("clips a very long upstream failure message to 500 characters", () => {
    const change = taskChangeFrom(
      taskRecord(),
      upstreamState({
        providerStatus: "failed",
        error: { code: "x", message: "e".repeat(2000), type: null },
      }),
      NOW,
    );
    expect(change?.error?.message).toBe(`${"e".repeat(500)}…`);
  });

  it("takes cancelled as CANCELLED and completed now", () => {
    expect(
      taskChangeFrom(taskRecord(), upstreamState({ providerStatus: "cancelled" }), NOW),
    ).toMatchObject({ status: TaskStatus.CANCELLED, completedAt: NOW, error: null, video: null });
  });

  it("keeps the previous status for an unknown provider status, but records the string", () => {
    const task = taskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing" });
    expect(
      taskChangeFrom(task, upstreamState({ providerStatus: "moderating", progress: 0 }), NOW),
    ).toMatchObject({ status: TaskStatus.PROCESSING, providerStatus: "moderating" });
  });

  it("answers null when nothing a client can see changed", () => {
    const task = taskRecord({
      status: TaskStatus.PROCESSING,
      providerStatus: "processing",
      progress: 50,
      estimatedTotalSeconds: 300,
    });
    const same = upstreamState({ progress: 50, estimatedSeconds: 300 });
    expect(taskChangeFrom(task, same, NOW)).toBeNull();
    expect(taskChangeFrom(task, { ...same, estimatedSeconds: null }, NOW)).toBeNull();
  });
});

describe("timedOutChange", () => {
  it("fails the task with TIMED_OUT, saying the deadline in minutes, completed now", () => {
    expect(timedOutChange(2 * 3_600_000, NOW)).toStrictEqual({
      status: TaskStatus.FAILED,
      error: {
        code: "TIMED_OUT",
        message: "The video was not ready within 120 minutes and was abandoned.",
      },
      completedAt: NOW,
    });
  });

  it("leaves progress, video and provider status as they were", () => {
    const change = timedOutChange(600_000, NOW);
    expect(Object.keys(change).sort()).toEqual(["completedAt", "error", "status"]);
  });

  it("never tells the user a deadline under a minute was 0 minutes", () => {
    // TASK_DEADLINE_MS accepts values from 1000 ms.
    expect(timedOutChange(20_000, NOW).error?.message).not.toContain("within 0 minutes");
  });
});
