import { Field, InputType, Int } from "type-graphql";
import { GENERATION_DEFAULTS } from "../domain/model-constraints";
import { durationsText } from "./constraint.descriptions";
import { GenerationInputBase } from "./generation-base.input";
import { AspectRatio, GenerationKind } from "./generation.enums";
import { IsOfferedDuration } from "./generation.validators";

@InputType({ description: "A video generated from a prompt alone." })
export class TextToVideoInput extends GenerationInputBase {
  @Field((_type) => Int, {
    defaultValue: GENERATION_DEFAULTS.durationSeconds,
    description: `Length of the video in seconds: ${durationsText(GenerationKind.TEXT_TO_VIDEO)}.`,
  })
  @IsOfferedDuration(GenerationKind.TEXT_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => AspectRatio, {
    defaultValue: GENERATION_DEFAULTS.aspectRatio,
    description: "Frame shape of the video.",
  })
  aspectRatio!: AspectRatio;
}
