import { AspectRatio, GenerationKind, GenerationMode, VideoModel } from "./generation-request";

/** What one upstream model accepts. Adding a model or a mode is a change to this table only. */
export interface ModelConstraints {
  /** The model id on the wire. */
  upstreamModel: string;
  /** The model's name as the upstream presents it, for a UI to show. */
  name: string;
  /** Longest prompt, in characters. */
  promptMaxLength: number;
  /** Longest negative prompt, in characters. */
  negativePromptMaxLength: number;
  /** Most images an image-to-video request takes: the first frame, then the last. */
  maxFrames: number;
  /** Output resolution of each mode, e.g. `720p`. */
  resolutions: Record<GenerationMode, string>;
  /** Offered durations in seconds, per request kind and mode. */
  durations: Record<GenerationKind, Record<GenerationMode, readonly number[]>>;
  /** Aspect ratios and how they are written on the wire. */
  aspectRatios: Record<AspectRatio, "16:9" | "9:16" | "1:1">;
}

export const MODEL_CONSTRAINTS: Record<VideoModel, ModelConstraints> = {
  [VideoModel.KLING_V3]: {
    upstreamModel: "kling-v3",
    name: "Kling v3",
    promptMaxLength: 2500,
    negativePromptMaxLength: 2500,
    maxFrames: 2,
    resolutions: {
      [GenerationMode.STD]: "720p",
      [GenerationMode.PRO]: "1080p",
    },
    durations: {
      [GenerationKind.TEXT_TO_VIDEO]: {
        [GenerationMode.STD]: [5, 10, 15],
        [GenerationMode.PRO]: [5, 10],
      },
      [GenerationKind.IMAGE_TO_VIDEO]: {
        [GenerationMode.STD]: [5, 10],
        [GenerationMode.PRO]: [5, 10],
      },
    },
    aspectRatios: {
      [AspectRatio.LANDSCAPE_16_9]: "16:9",
      [AspectRatio.PORTRAIT_9_16]: "9:16",
      [AspectRatio.SQUARE_1_1]: "1:1",
    },
  },
};

/**
 * What a request gets for a field it leaves out: the schema's default values, and what the
 * validators assume when a field is absent. One default for every model, so each model must offer
 * it (a test checks the duration in every kind and mode).
 */
export const GENERATION_DEFAULTS = {
  model: VideoModel.KLING_V3,
  mode: GenerationMode.STD,
  durationSeconds: 5,
  /** Text-to-video only: image-to-video leaves the shape to the upstream (the first frame's). */
  aspectRatio: AspectRatio.LANDSCAPE_16_9,
} as const;

const KIND_NAMES: Record<GenerationKind, string> = {
  [GenerationKind.TEXT_TO_VIDEO]: "text-to-video",
  [GenerationKind.IMAGE_TO_VIDEO]: "image-to-video",
};

/**
 * Why a duration is not offered, in words an end user understands, or null when it is offered.
 * The sentence is derived from the table, so it stays right when the table changes.
 */
export function durationProblem(
  model: VideoModel,
  kind: GenerationKind,
  mode: GenerationMode,
  seconds: number,
): string | null {
  const constraints = MODEL_CONSTRAINTS[model];
  if (!constraints) return null;
  const byMode = constraints.durations[kind];
  if (byMode[mode].includes(seconds)) return null;
  const otherModes = Object.values(GenerationMode).filter((m) => byMode[m].includes(seconds));
  if (otherModes.length > 0) {
    return `${seconds} s is only available in ${otherModes.join(" or ")} mode for ${KIND_NAMES[kind]}`;
  }
  const otherKinds = Object.values(GenerationKind).filter((k) =>
    Object.values(constraints.durations[k]).some((list) => list.includes(seconds)),
  );
  if (otherKinds.length > 0) {
    return `${seconds} s is only available for ${otherKinds.map((k) => KIND_NAMES[k]).join(" or ")}; ${KIND_NAMES[kind]} in ${mode} mode offers ${byMode[mode].join(", ")} s`;
  }
  return `${seconds} s is not offered; ${KIND_NAMES[kind]} in ${mode} mode offers ${byMode[mode].join(", ")} s`;
}
