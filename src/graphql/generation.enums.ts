import { registerEnumType } from "type-graphql";
import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../domain/generation-request";
import { GENERATION_DEFAULTS, MODEL_CONSTRAINTS } from "../domain/model-constraints";
import { resolutionText } from "./constraint.descriptions";
import { describedValues } from "./described-values";

registerEnumType(VideoModel, {
  name: "VideoModel",
  description: "An upstream video model; `videoModels` lists what each one accepts.",
  valuesConfig: describedValues(VideoModel, (model) => {
    const { name, upstreamModel } = MODEL_CONSTRAINTS[model];
    return `${name} (the upstream's \`${upstreamModel}\`).`;
  }),
});

registerEnumType(GenerationMode, {
  name: "GenerationMode",
  description:
    "Quality mode. The higher resolution takes longer; `videoModels` lists the durations each mode offers.",
  valuesConfig: describedValues(GenerationMode, (mode) => {
    const name = { [GenerationMode.STD]: "Standard", [GenerationMode.PRO]: "Professional" }[mode];
    const isDefault = mode === GENERATION_DEFAULTS.mode ? " The default." : "";
    return `${name}: ${resolutionText(mode)}.${isDefault}`;
  }),
});

registerEnumType(AspectRatio, {
  name: "AspectRatio",
  description: "Frame shape, width:height.",
  valuesConfig: describedValues(AspectRatio, (ratio) => {
    const shape = {
      [AspectRatio.LANDSCAPE_16_9]: "16:9, landscape",
      [AspectRatio.PORTRAIT_9_16]: "9:16, portrait: fills a phone held upright",
      [AspectRatio.SQUARE_1_1]: "1:1, square",
    }[ratio];
    const isDefault =
      ratio === GENERATION_DEFAULTS.aspectRatio ? " The default for text-to-video." : "";
    return `${shape}.${isDefault}`;
  }),
});

registerEnumType(GenerationKind, {
  name: "GenerationKind",
  description: "What a task is generated from.",
  valuesConfig: describedValues(GenerationKind, {
    [GenerationKind.TEXT_TO_VIDEO]: "From a prompt alone (`generateVideoFromText`).",
    [GenerationKind.IMAGE_TO_VIDEO]:
      "From a first frame, optionally a last frame, and a prompt (`generateVideoFromImage`).",
  }),
});

export { AspectRatio, GenerationKind, GenerationMode, VideoModel };
