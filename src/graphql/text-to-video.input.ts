import { Field, InputType, Int } from "type-graphql";
import { durationsText } from "./constraint.descriptions";
import { GenerationInputBase } from "./generation-base.input";
import { AspectRatio, GenerationKind } from "./generation.enums";
import { IsOfferedDuration } from "./generation.validators";

@InputType({ description: "A video generated from a prompt alone." })
export class TextToVideoInput extends GenerationInputBase {
  @Field((_type) => Int, {
    defaultValue: 5,
    description: `Length of the video in seconds: ${durationsText(GenerationKind.TEXT_TO_VIDEO)}.`,
  })
  @IsOfferedDuration(GenerationKind.TEXT_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => AspectRatio, {
    defaultValue: AspectRatio.LANDSCAPE_16_9,
    description: "Frame shape of the video.",
  })
  aspectRatio!: AspectRatio;
}
