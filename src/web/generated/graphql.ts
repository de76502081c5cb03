/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AspectRatio =
  | 'LANDSCAPE_16_9'
  | 'PORTRAIT_9_16'
  | 'SQUARE_1_1';

export type GenerationKind =
  | 'IMAGE_TO_VIDEO'
  | 'TEXT_TO_VIDEO';

/** STD renders 720p, PRO renders 1080p. */
export type GenerationMode =
  | 'PRO'
  | 'STD';

/** A video that starts from a first frame, and optionally ends on a last frame. */
export type ImageToVideoInput = {
  /** The upstream may replace it with the image's own ratio. */
  aspectRatio: AspectRatio | null | undefined;
  /** 5 or 10 (15 s is text-to-video only). */
  durationSeconds: number;
  /** Absolute http(s) URL of the first frame; public, no hot-link protection. */
  firstFrameUrl: string;
  /** Absolute http(s) URL of the last frame. */
  lastFrameUrl: string | null | undefined;
  mode: GenerationMode;
  model: VideoModel;
  /** What to avoid. At most 2500 characters. */
  negativePrompt: string | null | undefined;
  /** Scene, action, camera, style. Non-blank, at most 2500 characters. */
  prompt: string;
  watermark: boolean | null | undefined;
};

export type TaskErrorCode =
  | 'GENERATION_FAILED'
  | 'SUBMIT_FAILED'
  | 'TIMED_OUT';

export type TaskStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PROCESSING'
  | 'QUEUED'
  | 'SUCCEEDED';

/** A video generated from a prompt alone. */
export type TextToVideoInput = {
  aspectRatio: AspectRatio;
  /** 5, 10 or 15; 15 only in STD mode. */
  durationSeconds: number;
  mode: GenerationMode;
  model: VideoModel;
  /** What to avoid. At most 2500 characters. */
  negativePrompt: string | null | undefined;
  /** Scene, action, camera, style. Non-blank, at most 2500 characters. */
  prompt: string;
  watermark: boolean | null | undefined;
};

/** The upstream video model. */
export type VideoModel =
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