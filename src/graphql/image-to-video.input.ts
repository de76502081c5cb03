import { Field, InputType, Int } from "type-graphql";
import { GenerationInputBase } from "./generation-base.input";
import { AspectRatio, GenerationKind } from "./generation.enums";
import { IsAbsoluteHttpUrl, IsLastFrameAccepted, IsOfferedDuration } from "./generation.validators";

@InputType({
  description: "A video that starts from a first frame, and optionally ends on a last frame.",
})
export class ImageToVideoInput extends GenerationInputBase {
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
  @IsLastFrameAccepted()
  lastFrameUrl?: string | null;

  @Field((_type) => AspectRatio, {
    nullable: true,
    description: "The upstream may replace it with the image's own ratio.",
  })
  aspectRatio?: AspectRatio | null;
}
