import { Field, InputType } from "type-graphql";
import { GENERATION_DEFAULTS } from "../domain/model-constraints";
import { maxLengthText } from "./constraint.descriptions";
import { GenerationMode, VideoModel } from "./generation.enums";
import { FitsModelLimit, IsVisibleText } from "./generation.validators";

/**
 * Fields every kind of generation takes; the kinds add their duration rule and frames. Never used as
 * an argument itself, so it does not appear in the schema.
 */
@InputType()
export abstract class GenerationInputBase {
  @Field((_type) => VideoModel, {
    defaultValue: GENERATION_DEFAULTS.model,
    description: "The model to generate with; `videoModels` lists what each one accepts.",
  })
  model!: VideoModel;

  @Field((_type) => String, {
    description: `What to show: scene, action, camera, style (English works best). Visible text: not blank, no control characters but tab and newline; ${maxLengthText("promptMaxLength")}.`,
  })
  @IsVisibleText()
  @FitsModelLimit("promptMaxLength")
  prompt!: string;

  @Field((_type) => String, {
    nullable: true,
    description: `What to avoid, e.g. "blurry, low quality"; visible text like the prompt, ${maxLengthText("negativePromptMaxLength")}. Null or absent: nothing in particular.`,
  })
  @IsVisibleText()
  @FitsModelLimit("negativePromptMaxLength")
  negativePrompt?: string | null;

  @Field((_type) => GenerationMode, {
    defaultValue: GENERATION_DEFAULTS.mode,
    description: "Quality mode; it decides the resolution and which durations are offered.",
  })
  mode!: GenerationMode;

  @Field((_type) => Boolean, {
    nullable: true,
    description: "Whether the upstream adds a watermark. Null or absent: the upstream's default.",
  })
  watermark?: boolean | null;
}
