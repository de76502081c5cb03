import { Field, Int, ObjectType } from "type-graphql";
import { AspectRatio, GenerationMode, VideoModel } from "./generation.enums";

@ObjectType()
export class ModeCapabilities {
  @Field((_type) => GenerationMode)
  mode!: GenerationMode;

  @Field((_type) => String)
  resolution!: string;

  @Field((_type) => [Int])
  textToVideoDurations!: number[];

  @Field((_type) => [Int])
  imageToVideoDurations!: number[];
}

@ObjectType()
export class VideoModelCapabilities {
  @Field((_type) => VideoModel)
  model!: VideoModel;

  @Field((_type) => String)
  name!: string;

  @Field((_type) => [AspectRatio])
  aspectRatios!: AspectRatio[];

  @Field((_type) => Int)
  promptMaxLength!: number;

  @Field((_type) => Int)
  negativePromptMaxLength!: number;

  @Field((_type) => Int)
  maxFrames!: number;

  @Field((_type) => [ModeCapabilities])
  modes!: ModeCapabilities[];
}
