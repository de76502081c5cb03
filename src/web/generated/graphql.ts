/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Frame shape, width:height. */
export type AspectRatio =
  /** 16:9, landscape. The default for text-to-video. */
  | 'LANDSCAPE_16_9'
  /** 9:16, portrait: fills a phone held upright. */
  | 'PORTRAIT_9_16'
  /** 1:1, square. */
  | 'SQUARE_1_1';

/** What a task is generated from. */
export type GenerationKind =
  /** From a first frame, optionally a last frame, and a prompt (`generateVideoFromImage`). */
  | 'IMAGE_TO_VIDEO'
  /** From a prompt alone (`generateVideoFromText`). */
  | 'TEXT_TO_VIDEO';

/** Quality mode. The higher resolution takes longer; `videoModels` lists the durations each mode offers. */
export type GenerationMode =
  /** Professional: 1080p. */
  | 'PRO'
  /** Standard: 720p. The default. */
  | 'STD';

/** A video that starts from a first frame, and optionally ends on a last frame. */
export type ImageToVideoInput = {
  /** Frame shape of the video. The upstream may replace it with the first frame's own shape; null or absent leaves it to the upstream. */
  aspectRatio: AspectRatio | null | undefined;
  /** Length of the video in seconds: 5 or 10 in every mode. */
  durationSeconds: number;
  /** The image the video starts from: an absolute http(s) URL of at most 2048 characters that the upstream can fetch (public, no hot-link protection). */
  firstFrameUrl: string;
  /** The image the video ends on, a URL like `firstFrameUrl`; only for a model whose `maxFrames` is 2 or more. Null or absent: the model decides how the video ends. */
  lastFrameUrl: string | null | undefined;
  /** Quality mode; it decides the resolution and which durations are offered. */
  mode: GenerationMode;
  /** The model to generate with; `videoModels` lists what each one accepts. */
  model: VideoModel;
  /** What to avoid, e.g. "blurry, low quality"; visible text like the prompt, at most 2500 characters (Unicode code points). Null or absent: nothing in particular. */
  negativePrompt: string | null | undefined;
  /** What to show: scene, action, camera, style (English works best). Visible text: not blank, no control characters but tab and newline; at most 2500 characters (Unicode code points). */
  prompt: string;
  /** Whether the upstream adds a watermark. Null or absent: the upstream's default. */
  watermark: boolean | null | undefined;
};

/** Why a task ended FAILED. Codes may be added: treat one your app does not know like GENERATION_FAILED. */
export type TaskErrorCode =
  /** The upstream could not generate the video (a content policy refusal or an internal error); `message` gives its reason. Submitting again, perhaps with another prompt, may succeed. */
  | 'GENERATION_FAILED'
  /** The upstream reported success, but its video or thumbnail link was not a safe http(s) URL, so the gateway will not serve it. Submitting again may succeed. */
  | 'INVALID_UPSTREAM_RESULT'
  /** The request was sent but its answer was lost, and when the gateway checked again the upstream had refused it: no video was made. Submitting again may succeed. */
  | 'SUBMIT_FAILED'
  /** The video was not ready within the deadline the gateway's operator set for a task, and was abandoned. */
  | 'TIMED_OUT'
  /** The upstream kept answering that it does not know the task (for longer than the operator's grace period), e.g. because it purged it: the video is gone. Submitting again may succeed. */
  | 'UPSTREAM_TASK_LOST';

/** Where a task is in its life. QUEUED and PROCESSING are active; SUCCEEDED, FAILED and CANCELLED are final: a final task never changes again. */
export type TaskStatus =
  /** Final: the upstream cancelled the job (the gateway itself never cancels a task). */
  | 'CANCELLED'
  /** Final: no video; `error` says why. */
  | 'FAILED'
  /** Being generated; `progress` and `estimatedSecondsRemaining` move as it goes. */
  | 'PROCESSING'
  /** Accepted, waiting for the upstream to start on it. */
  | 'QUEUED'
  /** Final: the video is ready in `video`. */
  | 'SUCCEEDED';

/** A video generated from a prompt alone. */
export type TextToVideoInput = {
  /** Frame shape of the video. */
  aspectRatio: AspectRatio;
  /** Length of the video in seconds: 5, 10 or 15 in STD mode; 5 or 10 in PRO mode. */
  durationSeconds: number;
  /** Quality mode; it decides the resolution and which durations are offered. */
  mode: GenerationMode;
  /** The model to generate with; `videoModels` lists what each one accepts. */
  model: VideoModel;
  /** What to avoid, e.g. "blurry, low quality"; visible text like the prompt, at most 2500 characters (Unicode code points). Null or absent: nothing in particular. */
  negativePrompt: string | null | undefined;
  /** What to show: scene, action, camera, style (English works best). Visible text: not blank, no control characters but tab and newline; at most 2500 characters (Unicode code points). */
  prompt: string;
  /** Whether the upstream adds a watermark. Null or absent: the upstream's default. */
  watermark: boolean | null | undefined;
};

/** An upstream video model; `videoModels` lists what each one accepts. */
export type VideoModel =
  /** Kling v3 (the upstream's `kling-v3`). */
  | 'KLING_V3';

export type GenerateVideoFromTextMutationVariables = Exact<{
  input: TextToVideoInput;
  idempotencyKey: string | null | undefined;
}>;


export type GenerateVideoFromTextMutation = { generateVideoFromText: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } };

export type GenerateVideoFromImageMutationVariables = Exact<{
  input: ImageToVideoInput;
  idempotencyKey: string | null | undefined;
}>;


export type GenerateVideoFromImageMutation = { generateVideoFromImage: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } | null };

export type TaskFieldsFragment = { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null };

export type TaskQueryVariables = Exact<{
  id: string | number;
}>;


export type TaskQuery = { task: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } | null };

export type TasksQueryVariables = Exact<{
  first: number | null | undefined;
  after: string | null | undefined;
  status: Array<TaskStatus> | TaskStatus | null | undefined;
}>;


export type TasksQuery = { tasks: { edges: Array<{ cursor: string, node: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TaskUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TaskUpdatedSubscription = { taskUpdated: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } };

export type TasksUpdatedSubscriptionVariables = Exact<{
  status: Array<TaskStatus> | TaskStatus | null | undefined;
}>;


export type TasksUpdatedSubscription = { tasksUpdated: { id: string, status: TaskStatus, progress: number, version: number, estimatedSecondsRemaining: number | null, createdAt: string, updatedAt: string, completedAt: string | null, request: { kind: GenerationKind, model: VideoModel, prompt: string, negativePrompt: string | null, mode: GenerationMode, durationSeconds: number, aspectRatio: AspectRatio | null, firstFrameUrl: string | null, lastFrameUrl: string | null, watermark: boolean | null }, video: { url: string, thumbnailUrl: string | null, expiresAt: string | null } | null, error: { code: TaskErrorCode, message: string } | null } };

export type VideoModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type VideoModelsQuery = { videoModels: Array<{ model: VideoModel, name: string, aspectRatios: Array<AspectRatio>, promptMaxLength: number, negativePromptMaxLength: number, maxFrames: number, modes: Array<{ mode: GenerationMode, resolution: string, textToVideoDurations: Array<number>, imageToVideoDurations: Array<number> }> }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const TaskFieldsFragmentDoc = new TypedDocumentString(`
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}
    `, {"fragmentName":"TaskFields"}) as unknown as TypedDocumentString<TaskFieldsFragment, unknown>;
export const GenerateVideoFromTextDocument = new TypedDocumentString(`
    mutation GenerateVideoFromText($input: TextToVideoInput!, $idempotencyKey: String) {
  generateVideoFromText(input: $input, idempotencyKey: $idempotencyKey) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<GenerateVideoFromTextMutation, GenerateVideoFromTextMutationVariables>;
export const GenerateVideoFromImageDocument = new TypedDocumentString(`
    mutation GenerateVideoFromImage($input: ImageToVideoInput!, $idempotencyKey: String) {
  generateVideoFromImage(input: $input, idempotencyKey: $idempotencyKey) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<GenerateVideoFromImageMutation, GenerateVideoFromImageMutationVariables>;
export const NodeDocument = new TypedDocumentString(`
    query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Task {
      ...TaskFields
    }
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<NodeQuery, NodeQueryVariables>;
export const TaskDocument = new TypedDocumentString(`
    query Task($id: ID!) {
  task(id: $id) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<TaskQuery, TaskQueryVariables>;
export const TasksDocument = new TypedDocumentString(`
    query Tasks($first: Int, $after: String, $status: [TaskStatus!]) {
  tasks(first: $first, after: $after, status: $status) {
    edges {
      cursor
      node {
        ...TaskFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<TasksQuery, TasksQueryVariables>;
export const TaskUpdatedDocument = new TypedDocumentString(`
    subscription TaskUpdated($id: ID!) {
  taskUpdated(id: $id) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<TaskUpdatedSubscription, TaskUpdatedSubscriptionVariables>;
export const TasksUpdatedDocument = new TypedDocumentString(`
    subscription TasksUpdated($status: [TaskStatus!]) {
  tasksUpdated(status: $status) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  status
  progress
  version
  estimatedSecondsRemaining
  createdAt
  updatedAt
  completedAt
  request {
    kind
    model
    prompt
    negativePrompt
    mode
    durationSeconds
    aspectRatio
    firstFrameUrl
    lastFrameUrl
    watermark
  }
  video {
    url
    thumbnailUrl
    expiresAt
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<TasksUpdatedSubscription, TasksUpdatedSubscriptionVariables>;
export const VideoModelsDocument = new TypedDocumentString(`
    query VideoModels {
  videoModels {
    model
    name
    aspectRatios
    promptMaxLength
    negativePromptMaxLength
    maxFrames
    modes {
      mode
      resolution
      textToVideoDurations
      imageToVideoDurations
    }
  }
}
    `) as unknown as TypedDocumentString<VideoModelsQuery, VideoModelsQueryVariables>;