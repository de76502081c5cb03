import { Field, InputType, Int } from "type-graphql";
import { AspectRatio, GenerationKind, GenerationMode, VideoModel } from "./generation.enums";
import {
  FitsModelLimit,
  IsAbsoluteHttpUrl,
  IsNotBlank,
  IsOfferedDuration,
} from "./generation.validators";

@InputType({
  description: "A video that starts from a first frame, and optionally ends on a last frame.",
})
export class ImageToVideoInput {
  @Field((_type) => VideoModel, { defaultValue: VideoModel.KLING_V3 })
  model!: VideoModel;

  @Field((_type) => String, {
    description: "What happens: action, camera, style. Non-blank, at most 2500 characters.",
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

  @Field((_type) => Int, { defaultValue: 5, description: "5 or 10 (15 s is text-to-video only)." })
  @IsOfferedDuration(GenerationKind.IMAGE_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => String, {
    description: "Absolute http(s) URL of the first frame; public, no hot-link protection.",
  })
  @IsAbsoluteHttpUrl()
  firstFrameUrl!: string;

  @Field((_type) => String, {
    nullable: true,
    description: "Absolute http(s) URL of the last frame.",
  })
  @IsAbsoluteHttpUrl()
  lastFrameUrl?: string | null;

  @Field((_type) => AspectRatio, {
    nullable: true,
    description: "The upstream may replace it with the image's own ratio.",
  })
  aspectRatio?: AspectRatio | null;

  @Field((_type) => Boolean, { nullable: true })
  watermark?: boolean | null;
}
