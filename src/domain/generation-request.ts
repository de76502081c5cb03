/** Domain values of a generation request, free of GraphQL. The GraphQL enums register these. */
export enum VideoModel {
  KLING_V3 = "KLING_V3",
}

export enum GenerationMode {
  STD = "STD",
  PRO = "PRO",
}

export enum AspectRatio {
  LANDSCAPE_16_9 = "LANDSCAPE_16_9",
  PORTRAIT_9_16 = "PORTRAIT_9_16",
  SQUARE_1_1 = "SQUARE_1_1",
}

export enum GenerationKind {
  TEXT_TO_VIDEO = "TEXT_TO_VIDEO",
  IMAGE_TO_VIDEO = "IMAGE_TO_VIDEO",
}

/** The validated request as the gateway stores and echoes it. */
export interface GenerationRequest {
  kind: GenerationKind;
  model: VideoModel;
  prompt: string;
  negativePrompt: string | null;
  mode: GenerationMode;
  durationSeconds: number;
  aspectRatio: AspectRatio | null;
  firstFrameUrl: string | null;
  lastFrameUrl: string | null;
  watermark: boolean | null;
}
