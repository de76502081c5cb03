import { Field, InputType, Int } from "type-graphql";
import { GenerationInputBase } from "./generation-base.input";
import { AspectRatio, GenerationKind } from "./generation.enums";
import { IsOfferedDuration } from "./generation.validators";

@InputType({ description: "A video generated from a prompt alone." })
export class TextToVideoInput extends GenerationInputBase {
  @Field((_type) => Int, { defaultValue: 5, description: "5, 10 or 15; 15 only in STD mode." })
  @IsOfferedDuration(GenerationKind.TEXT_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => AspectRatio, { defaultValue: AspectRatio.LANDSCAPE_16_9 })
  aspectRatio!: AspectRatio;
}
