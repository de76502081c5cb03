/** Small builders for domain objects that unit tests share; pass overrides for the values a test relies on. */
import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
  type GenerationRequest,
} from "../../src/domain/generation-request";
import { ImageToVideoInput } from "../../src/graphql/image-to-video.input";
import { TextToVideoInput } from "../../src/graphql/text-to-video.input";
import { TaskStatus, type TaskRecord } from "../../src/domain/task";
import type { UpstreamJobState } from "../../src/domain/upstream-job";
import type { TaskStore } from "../../src/ports/task-store";
import { mapProviderStatus } from "../../src/upstream/provider-status";

/** The fixtures' reference time, 2025-06-01 12:00 UTC, in epoch milliseconds. */
export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
export const PROMPT = "a paper boat drifts down a rainy street";
export const FIRST_FRAME_URL = "https://cdn.example.com/first.png";

/** A stored text-to-video request: kling-v3, STD, 5 s, 16:9, no optional fields. */
export function aTextRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    kind: GenerationKind.TEXT_TO_VIDEO,
    model: VideoModel.KLING_V3,
    prompt: PROMPT,
    negativePrompt: null,
    mode: GenerationMode.STD,
    durationSeconds: 5,
    aspectRatio: AspectRatio.LANDSCAPE_16_9,
    firstFrameUrl: null,
    lastFrameUrl: null,
    watermark: null,
    ...overrides,
  };
}

/** Task vt_1 of key:alice, QUEUED after submit as upstream task_1, created and updated at T0. */
export function aTaskRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: "vt_1",
    ownerId: "key:alice",
    upstreamTaskId: "task_1",
    status: TaskStatus.QUEUED,
    providerStatus: "submitted",
    progress: 0,
    version: 1,
    request: aTextRequest(),
    video: null,
    error: null,
    estimatedTotalSeconds: null,
    upstreamMissingSince: null,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    completedAt: null,
    ...overrides,
  };
}

/**
 * What upstream says of task_1: processing at 0 %, with nothing else known. The status follows the
 * provider status, as the APIMart client maps it.
 */
export function anUpstreamState(overrides: Partial<UpstreamJobState> = {}): UpstreamJobState {
  return {
    upstreamTaskId: "task_1",
    status: mapProviderStatus(overrides.providerStatus ?? "processing"),
    providerStatus: "processing",
    progress: 0,
    estimatedSeconds: null,
    createdAt: null,
    completedAt: null,
    video: null,
    error: null,
    ...overrides,
  };
}

/** A TextToVideoInput as GraphQL would build it: kling-v3, STD, 5 s, 16:9. */
export const aTextInput = (overrides: Partial<TextToVideoInput> = {}): TextToVideoInput =>
  Object.assign(new TextToVideoInput(), {
    model: VideoModel.KLING_V3,
    prompt: PROMPT,
    mode: GenerationMode.STD,
    durationSeconds: 5,
    aspectRatio: AspectRatio.LANDSCAPE_16_9,
    ...overrides,
  });

/** An ImageToVideoInput as GraphQL would build it: kling-v3, STD, 5 s, from FIRST_FRAME_URL. */
export const anImageInput = (overrides: Partial<ImageToVideoInput> = {}): ImageToVideoInput =>
  Object.assign(new ImageToVideoInput(), {
    model: VideoModel.KLING_V3,
    prompt: PROMPT,
    mode: GenerationMode.STD,
    durationSeconds: 5,
    firstFrameUrl: FIRST_FRAME_URL,
    ...overrides,
  });

/** Writes a task straight into a store, with no quota and no idempotency key. */
export async function insert(store: Pick<TaskStore, "admit">, task: TaskRecord): Promise<void> {
  const result = await store.admit(task, { maxActivePerOwner: 0 });
  if (result.outcome !== "admitted")
    throw new Error(`could not insert ${task.id}: ${result.outcome}`);
}
