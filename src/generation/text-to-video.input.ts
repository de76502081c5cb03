import { Field, InputType, Int } from "type-graphql";
import { AspectRatio, GenerationKind, GenerationMode, VideoModel } from "./generation.enums";
import { FitsModelLimit, IsNotBlank, IsOfferedDuration } from "./generation.validators";

@InputType({ description: "A video generated from a prompt alone." })
export class TextToVideoInput {
  @Field((_type) => VideoModel, { defaultValue: VideoModel.KLING_V3 })
  model!: VideoModel;

  @Field((_type) => String, {
    description: "What to show: scene, action, style. Non-blank, at most 2500 characters.",
  })
  @IsNotBlank()
  @FitsModelLimit("promptMaxLength")
  prompt!: string;

  @Field((_type) => String, {
    nullable: true,
    description: "What to avoid. At most 2500 characters.",
  })
  @FitsModelLimit("negativePromptMaxLength")
  negativePrompt?: string | null;

  @Field((_type) => GenerationMode, { defaultValue: GenerationMode.STD })
  mode!: GenerationMode;

  @Field((_type) => Int, { defaultValue: 5, description: "5, 10 or 15; 15 only in STD mode." })
  @IsOfferedDuration(GenerationKind.TEXT_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => AspectRatio, { defaultValue: AspectRatio.LANDSCAPE_16_9 })
  aspectRatio!: AspectRatio;

  @Field((_type) => Boolean, { nullable: true })
  watermark?: boolean | null;
}
