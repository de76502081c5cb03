import { TaskStatus } from "../../src/domain/task";
import {
  parseEnvelopeFailure,
  parseErrorBody,
  parseSubmitResponse,
  parseTaskResponse,
} from "../../src/upstream/apimart.parse";
import { UpstreamError } from "../../src/ports/upstream-client";

const RUNNING_EXAMPLE = `{"code":200,"data":{"created":1765000891,"estimated_time":600,"id":"task_01KBS40K78KGHZ9SDBWQSGSXRK","progress":91,"status":"processing"}}`;
const DONE_EXAMPLE = `{"code":200,"data":{"id":"task_01K9S419324DREZFBWNSVXYR6H","status":"completed","progress":100,"result":{"videos":[{"url":["https://upload.apimart.ai/f/video/x-video_task_01K9S419324DREZFBWNSVXYR6H.mp4"],"expires_at":1762940095}]},"created":1762853430,"completed":1762853695,"estimated_time":600,"actual_time":265}}`;
const DONE_URL = "https://upload.apimart.ai/f/video/x-video_task_01K9S419324DREZFBWNSVXYR6H.mp4";

const task = (data: Record<string, unknown>) =>
  parseTaskResponse({ code: 200, data: { id: "task_1", status: "processing", ...data } }, "task_1");

function malformedError(parse: () => unknown): UpstreamError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe("malformed");
    return error as UpstreamError;
  }
  throw new Error("expected a malformed UpstreamError");
}

describe("parseSubmitResponse", () => {
  it("reads the task id from the documented answer, where data is an array", () => {
    const json = JSON.parse(
      `{"code":200,"data":[{"status":"submitted","task_id":"task_01K9S419324DREZFBWNSVXYR6H"}]}`,
    );
    expect(parseSubmitResponse(json)).toEqual({
      upstreamTaskId: "task_01K9S419324DREZFBWNSVXYR6H",
    });
  });

  it("accepts data as an object, and `id` in place of `task_id`", () => {
    expect(parseSubmitResponse({ code: 200, data: { task_id: "t1" } }).upstreamTaskId).toBe("t1");
    expect(parseSubmitResponse({ code: 200, data: { id: "t2", cost: "0.5" } }).upstreamTaskId).toBe(
      "t2",
    );
    expect(parseSubmitResponse({ data: [{ id: 42 }] }).upstreamTaskId).toBe("42");
  });

  it.each([
    ["an empty data array", { code: 200, data: [] }],
    ["no data", { code: 200 }],
    ["an empty task id", { code: 200, data: [{ task_id: "" }] }],
    ["data as a string", { code: 200, data: "task_1" }],
    ["a JSON array", [1, 2]],
    ["null", null],
  ])("throws malformed for %s", (_case, json) => {
    malformedError(() => parseSubmitResponse(json));
  });
});

describe("parseTaskResponse", () => {
  it("reads the documented running example", () => {
    expect(
      parseTaskResponse(JSON.parse(RUNNING_EXAMPLE), "task_01KBS40K78KGHZ9SDBWQSGSXRK"),
    ).toEqual({
      upstreamTaskId: "task_01KBS40K78KGHZ9SDBWQSGSXRK",
      status: TaskStatus.PROCESSING,
      providerStatus: "processing",
      progress: 91,
      estimatedSeconds: 600,
      createdAt: new Date(1765000891 * 1000),
      completedAt: null,
      video: null,
      error: null,
    });
  });

  it("reads the documented completed example, url given as an array", () => {
    expect(parseTaskResponse(JSON.parse(DONE_EXAMPLE), "task_01K9S419324DREZFBWNSVXYR6H")).toEqual({
      upstreamTaskId: "task_01K9S419324DREZFBWNSVXYR6H",
      status: TaskStatus.SUCCEEDED,
      providerStatus: "completed",
      progress: 100,
      estimatedSeconds: 600,
      createdAt: new Date(1762853430 * 1000),
      completedAt: new Date(1762853695 * 1000),
      video: { url: DONE_URL, thumbnailUrl: null, expiresAt: new Date(1762940095 * 1000) },
      error: null,
    });
  });

  it("accepts an older answer whose url is a plain string, with a thumbnail", () => {
    const state = task({
      status: "completed",
      result: { videos: [{ url: "https://v/1.mp4" }], thumbnail_url: "https://v/1.jpg" },
    });
    expect(state.video).toEqual({
      url: "https://v/1.mp4",
      thumbnailUrl: "https://v/1.jpg",
      expiresAt: null,
    });
  });

  it("takes the first usable url and video", () => {
    const state = task({
      status: "completed",
      result: { videos: [{ url: [] }, { url: [7, "", "https://v/2.mp4", "https://v/3.mp4"] }] },
    });
    expect(state.video?.url).toBe("https://v/2.mp4");
  });

  it("has no video while the result is absent or holds no url", () => {
    expect(task({}).video).toBeNull();
    expect(task({ status: "completed", result: { videos: [] } }).video).toBeNull();
    expect(task({ status: "completed", result: { videos: [{ url: null }] } }).video).toBeNull();
  });

  it("reads a failure, with error.code as an int or a string", () => {
    const failed = task({
      status: "failed",
      error: { code: 500, message: "content policy violation", type: "generation_error" },
    });
    expect(failed.error).toEqual({
      code: "500",
      message: "content policy violation",
      type: "generation_error",
    });
    expect(task({ status: "failed", error: { code: "E_POLICY", message: "no" } }).error).toEqual({
      code: "E_POLICY",
      message: "no",
      type: null,
    });
  });

  it("accepts numbers sent as numeric strings", () => {
    const state = task({ progress: "42", created: "1765000891", estimated_time: "300" });
    expect(state).toMatchObject({ progress: 42, estimatedSeconds: 300 });
    expect(state.createdAt).toEqual(new Date(1765000891 * 1000));
  });

  it("treats absent optional fields as null or 0", () => {
    const state = parseTaskResponse({ code: 200, data: { id: "t", status: "pending" } }, "t");
    expect(state).toEqual({
      upstreamTaskId: "t",
      status: TaskStatus.QUEUED,
      providerStatus: "pending",
      progress: 0,
      estimatedSeconds: null,
      createdAt: null,
      completedAt: null,
      video: null,
      error: null,
    });
  });

  it("treats optional fields of the wrong shape or null as absent rather than failing", () => {
    const state = task({
      progress: "lots",
      created: null,
      estimated_time: {},
      result: "x",
      error: 5,
    });
    expect(state).toMatchObject({
      progress: 0,
      createdAt: null,
      estimatedSeconds: null,
      video: null,
      error: null,
    });
  });

  it("ignores unknown extra fields such as cost sent as a string", () => {
    expect(task({ cost: "0.35", model: "kling-v3", extra: { nested: true } }).providerStatus).toBe(
      "processing",
    );
  });

  it("keeps an unknown status verbatim", () => {
    expect(task({ status: "Moderation_Review" }).providerStatus).toBe("Moderation_Review");
  });

  it("clamps progress to 0..100 and rounds it", () => {
    expect(task({ progress: 140 }).progress).toBe(100);
    expect(task({ progress: -3 }).progress).toBe(0);
    expect(task({ progress: 33.6 }).progress).toBe(34);
  });

  it("falls back to the requested id when the answer has none", () => {
    expect(parseTaskResponse({ data: { status: "pending" } }, "asked").upstreamTaskId).toBe(
      "asked",
    );
  });

  it.each([
    ["no status", { code: 200, data: { id: "t" } }],
    ["an empty status", { code: 200, data: { id: "t", status: "" } }],
    ["a numeric status", { code: 200, data: { id: "t", status: 3 } }],
    ["data as an array", { code: 200, data: [{ id: "t", status: "pending" }] }],
    ["no data", { code: 200 }],
    ["a string", "garbage"],
    ["null", null],
  ])("throws malformed for %s", (_case, json) => {
    expect(malformedError(() => parseTaskResponse(json, "t")).message).toMatch(/task answer/);
  });
});

describe("parseEnvelopeFailure", () => {
  it("reports a 2xx envelope whose code is an error status", () => {
    expect(
      parseEnvelopeFailure({
        code: 402,
        error: { code: 402, message: "no balance", type: "payment_required" },
      }),
    ).toEqual({
      httpStatus: 402,
      error: { code: "402", message: "no balance", type: "payment_required" },
    });
  });

  it("falls back to error.code, also as a string, when the envelope code is absent", () => {
    expect(parseEnvelopeFailure({ error: { code: "429", message: "slow down" } })?.httpStatus).toBe(
      429,
    );
  });

  it("reports nothing for a success envelope", () => {
    expect(parseEnvelopeFailure(JSON.parse(RUNNING_EXAMPLE))).toBeUndefined();
    expect(parseEnvelopeFailure({ code: 200, data: {}, error: null })).toBeUndefined();
    expect(parseEnvelopeFailure("garbage")).toBeUndefined();
  });
});

describe("parseErrorBody", () => {
  it("reads the documented error body", () => {
    expect(
      parseErrorBody(
        `{"error":{"code":400,"message":"Invalid task ID","type":"invalid_request_error"}}`,
      ),
    ).toEqual({ code: "400", message: "Invalid task ID", type: "invalid_request_error" });
  });

  it("accepts a string code, a bare string error and a top-level message", () => {
    expect(parseErrorBody(`{"error":{"code":"rate_limit","message":"m"}}`)?.code).toBe(
      "rate_limit",
    );
    expect(parseErrorBody(`{"error":"quota exceeded"}`)?.message).toBe("quota exceeded");
    expect(parseErrorBody(`{"message":"upstream busy"}`)?.message).toBe("upstream busy");
  });

  it.each(["<html>502 Bad Gateway</html>", "", "{}", "[]", "null"])(
    "returns undefined for the unrecognised body %p",
    (body) => {
      expect(parseErrorBody(body)).toBeUndefined();
    },
  );
});
