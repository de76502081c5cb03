import { Field, Int, ObjectType } from "type-graphql";
import { AspectRatio, GenerationMode, VideoModel } from "./generation.enums";

// `simpleResolvers`: these types are plain data, read by graphql-js's default resolver. The schema
// has no type-graphql middleware or auth checker, so its per-field wrapper only cost time per field.
@ObjectType({
  simpleResolvers: true,
  description:
    "One quality mode of a model: its resolution, and the durations it offers for each kind of request. A duration not listed is refused.",
})
export class ModeCapabilities {
  @Field((_type) => GenerationMode, { description: "The value to pass as `mode`." })
  mode!: GenerationMode;

  @Field((_type) => String, {
    description: "Output resolution, as the upstream names it (height in pixels, e.g. `1080p`).",
  })
  resolution!: string;

  @Field((_type) => [Int], {
    description:
      "Seconds `generateVideoFromText` accepts as `durationSeconds` in this mode, ascending.",
  })
  textToVideoDurations!: number[];

  @Field((_type) => [Int], {
    description:
      "Seconds `generateVideoFromImage` accepts as `durationSeconds` in this mode, ascending.",
  })
  imageToVideoDurations!: number[];
}

@ObjectType({
  simpleResolvers: true,
  description:
    "What one model accepts, from the same table the mutations validate against: offer only these choices and the mutations accept them.",
})
export class VideoModelCapabilities {
  @Field((_type) => VideoModel, { description: "The value to pass as `model`." })
  model!: VideoModel;

  @Field((_type) => String, {
    description: "The model's name as the upstream presents it, to show to users.",
  })
  name!: string;

  @Field((_type) => [AspectRatio], { description: "The frame shapes the model renders." })
  aspectRatios!: AspectRatio[];

  @Field((_type) => Int, { description: "Longest `prompt`, in characters (Unicode code points)." })
  promptMaxLength!: number;

  @Field((_type) => Int, {
    description: "Longest `negativePrompt`, in characters (Unicode code points).",
  })
  negativePromptMaxLength!: number;

  @Field((_type) => Int, {
    description:
      "Most images an image-to-video request takes: 1 = `firstFrameUrl` only, 2 = `lastFrameUrl` too.",
  })
  maxFrames!: number;

  @Field((_type) => [ModeCapabilities], {
    description: "Each quality mode, with its resolution and durations.",
  })
  modes!: ModeCapabilities[];
}
