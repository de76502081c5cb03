import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../domain/generation-request";
import { MODEL_CONSTRAINTS, type ModelConstraints } from "../domain/model-constraints";

/** What one mode of a model renders, and the durations it offers for each kind of request. */
export interface ModeCapabilities {
  mode: GenerationMode;
  resolution: string;
  textToVideoDurations: number[];
  imageToVideoDurations: number[];
}

/** What one model accepts, as plain values a client can offer as choices. */
export interface VideoModelCapabilities {
  model: VideoModel;
  name: string;
  aspectRatios: AspectRatio[];
  promptMaxLength: number;
  negativePromptMaxLength: number;
  maxFrames: number;
  modes: ModeCapabilities[];
}

/**
 * The constraint table as capabilities, in the enums' declaration order: every combination listed
 * here is one the validators accept, because both read the same table.
 */
export function describeVideoModels(
  table: Record<VideoModel, ModelConstraints> = MODEL_CONSTRAINTS,
): VideoModelCapabilities[] {
  return Object.values(VideoModel).map((model) => {
    const constraints = table[model];
    return {
      model,
      name: constraints.name,
      aspectRatios: Object.values(AspectRatio).filter((ratio) => ratio in constraints.aspectRatios),
      promptMaxLength: constraints.promptMaxLength,
      negativePromptMaxLength: constraints.negativePromptMaxLength,
      maxFrames: constraints.maxFrames,
      modes: Object.values(GenerationMode).map((mode) => ({
        mode,
        resolution: constraints.resolutions[mode],
        textToVideoDurations: sorted(constraints.durations[GenerationKind.TEXT_TO_VIDEO][mode]),
        imageToVideoDurations: sorted(constraints.durations[GenerationKind.IMAGE_TO_VIDEO][mode]),
      })),
    };
  });
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
