import { taskChangeFrom, timedOutChange } from "../../src/domain/task-transitions";
import { TaskStatus, type TaskVideo } from "../../src/domain/task";
import { aTaskRecord, anUpstreamState, T0 } from "../helpers/fixtures";

const NOW = new Date(T0 + 90_000);
const VIDEO = {
  url: "https://upload.apimart.ai/f/video/x.mp4",
  thumbnailUrl: "https://upload.apimart.ai/f/video/x.jpg",
  expiresAt: new Date(T0 + 86_400_000),
};

describe("taskChangeFrom", () => {
  it("takes pending as QUEUED and records the provider's word for it", () => {
    expect(
      taskChangeFrom(aTaskRecord(), anUpstreamState({ providerStatus: "pending" }), NOW),
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
      taskChangeFrom(aTaskRecord(), anUpstreamState({ progress: 42, estimatedSeconds: 300 }), NOW),
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
    const task = aTaskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing" });
    expect(taskChangeFrom(task, anUpstreamState({ progress: 10 }), NOW)).toMatchObject({
      progress: 10,
    });
  });

  it("keeps the last known estimate when the upstream stops sending one", () => {
    const task = aTaskRecord({ estimatedTotalSeconds: 120 });
    expect(taskChangeFrom(task, anUpstreamState({ progress: 5 }), NOW)).toMatchObject({
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
    expect(taskChangeFrom(aTaskRecord(), anUpstreamState({ progress }), NOW)?.progress).toBe(
      expected,
    );
  });

  it("takes completed with a video as SUCCEEDED at 100 %, completed when the upstream says", () => {
    const completedAt = new Date(T0 + 80_000);
    expect(
      taskChangeFrom(
        aTaskRecord({ status: TaskStatus.PROCESSING, progress: 90 }),
        anUpstreamState({ providerStatus: "completed", progress: 90, video: VIDEO, completedAt }),
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
      aTaskRecord(),
      anUpstreamState({ providerStatus: "completed", video: VIDEO }),
      NOW,
    );
    expect(change?.completedAt).toBe(NOW);
  });

  it("does not take completed without a video as success: the task stays running", () => {
    const change = taskChangeFrom(
      aTaskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing", progress: 95 }),
      anUpstreamState({ providerStatus: "completed", progress: 100 }),
      NOW,
    );
    expect(change).toMatchObject({
      status: TaskStatus.PROCESSING,
      providerStatus: "completed",
      video: null,
      completedAt: null,
    });
  });

  describe("a completed answer whose result URLs are unusable", () => {
    const completedWith = (video: Partial<TaskVideo>) =>
      taskChangeFrom(
        aTaskRecord({ status: TaskStatus.PROCESSING, progress: 90 }),
        anUpstreamState({
          providerStatus: "completed",
          progress: 100,
          video: { ...VIDEO, ...video },
        }),
        NOW,
      );

    it.each([
      ["a javascript: URL", "javascript:alert(document.cookie)"],
      ["a data: URL", "data:text/html,<script>alert(1)</script>"],
      ["a file: URL", "file:///etc/passwd"],
      ["a relative URL", "/f/video/x.mp4"],
      ["no host", "https://"],
      ["credentials", "https://user:pass@upload.apimart.ai/x.mp4"],
      ["a space inside", "https://upload.apimart.ai/x .mp4"],
      ["a newline inside", "https://upload.apimart.ai/x.mp4\nSet-Cookie: a=b"],
      ["a NUL inside", "https://upload.apimart.ai/x\u0000.mp4"],
      ["a lone surrogate inside", "https://upload.apimart.ai/x\ud800.mp4"],
      ["more than 2048 characters", `https://upload.apimart.ai/${"a".repeat(2048)}.mp4`],
    ])("fails the task with INVALID_UPSTREAM_RESULT for %s, storing no video", (_what, url) => {
      expect(completedWith({ url })).toStrictEqual({
        status: TaskStatus.FAILED,
        providerStatus: "completed",
        progress: 100,
        estimatedTotalSeconds: null,
        video: null,
        error: {
          code: "INVALID_UPSTREAM_RESULT",
          message: "The video service returned a result that cannot be delivered safely.",
        },
        completedAt: NOW,
      });
    });

    it("fails the task for an unusable thumbnail URL too", () => {
      expect(completedWith({ thumbnailUrl: "javascript:void(0)" })).toMatchObject({
        status: TaskStatus.FAILED,
        video: null,
        error: { code: "INVALID_UPSTREAM_RESULT" },
      });
    });

    it.each([
      ["https", "https://upload.apimart.ai/f/video/x.mp4"],
      ["http, with a port", "http://127.0.0.1:4010/files/task_1.mp4"],
      ["exactly 2048 characters", `https://a.io/${"a".repeat(2048 - "https://a.io/".length)}`],
    ])("accepts an absolute %s URL", (_what, url) => {
      expect(completedWith({ url, thumbnailUrl: null })).toMatchObject({
        status: TaskStatus.SUCCEEDED,
        video: { url },
      });
    });
  });

  it("takes failed as FAILED with the upstream's message under GENERATION_FAILED", () => {
    expect(
      taskChangeFrom(
        aTaskRecord({ status: TaskStatus.PROCESSING }),
        anUpstreamState({
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
      aTaskRecord(),
      anUpstreamState({ providerStatus: "failed", error }),
      NOW,
    );
    expect(change?.error).toEqual({
      code: "GENERATION_FAILED",
      message: "The video could not be generated.",
    });
  });

  it("clips a very long upstream failure message to 500 characters", () => {
    const change = taskChangeFrom(
      aTaskRecord(),
      anUpstreamState({
        providerStatus: "failed",
        error: { code: "x", message: "e".repeat(2000), type: null },
      }),
      NOW,
    );
    expect(change?.error?.message).toBe(`${"e".repeat(500)}…`);
  });

  it("cleans the upstream's failure message and status of NUL and control characters, keeping tab and newline", () => {
    const change = taskChangeFrom(
      aTaskRecord(),
      anUpstreamState({
        status: TaskStatus.FAILED,
        providerStatus: "fail\u0000ed\u001b[31m",
        error: { code: "x", message: "bad\u0000 prompt\u0007\r\n\tline two \ud800!", type: null },
      }),
      NOW,
    );
    expect(change).toMatchObject({
      status: TaskStatus.FAILED,
      providerStatus: "failed[31m",
      error: { code: "GENERATION_FAILED", message: "bad prompt\n\tline two \ufffd!" },
    });
  });

  it("falls back to its own words when the upstream's message is nothing but control characters", () => {
    const change = taskChangeFrom(
      aTaskRecord(),
      anUpstreamState({
        providerStatus: "failed",
        error: { code: "x", message: "\u0000\u0000", type: null },
      }),
      NOW,
    );
    expect(change?.error?.message).toBe("The video could not be generated.");
  });

  it("clips a long message between code points, never inside a surrogate pair", () => {
    const change = taskChangeFrom(
      aTaskRecord(),
      anUpstreamState({
        providerStatus: "failed",
        error: { code: "x", message: "🎬".repeat(600), type: null },
      }),
      NOW,
    );
    expect(change?.error?.message).toBe(`${"🎬".repeat(500)}…`);
  });

  it("takes cancelled as CANCELLED and completed now", () => {
    expect(
      taskChangeFrom(aTaskRecord(), anUpstreamState({ providerStatus: "cancelled" }), NOW),
    ).toMatchObject({ status: TaskStatus.CANCELLED, completedAt: NOW, error: null, video: null });
  });

  it("keeps the previous status for an unknown provider status, but records the string", () => {
    const task = aTaskRecord({ status: TaskStatus.PROCESSING, providerStatus: "processing" });
    expect(
      taskChangeFrom(task, anUpstreamState({ providerStatus: "moderating", progress: 0 }), NOW),
    ).toMatchObject({ status: TaskStatus.PROCESSING, providerStatus: "moderating" });
  });

  it("answers null when nothing a client can see changed", () => {
    const task = aTaskRecord({
      status: TaskStatus.PROCESSING,
      providerStatus: "processing",
      progress: 50,
      estimatedTotalSeconds: 300,
    });
    const same = anUpstreamState({ progress: 50, estimatedSeconds: 300 });
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
