import { Field, InputType } from "type-graphql";
import { GenerationMode, VideoModel } from "./generation.enums";
import { FitsModelLimit, IsVisibleText } from "./generation.validators";

/**
 * Fields every kind of generation takes; the kinds add their duration rule and frames. Never used as
 * an argument itself, so it does not appear in the schema.
 */
@InputType()
export abstract class GenerationInputBase {
  @Field((_type) => VideoModel, { defaultValue: VideoModel.KLING_V3 })
  model!: VideoModel;

  @Field((_type) => String, {
    description:
      "Scene, action, camera, style. Visible text (no control characters but tab and newline), at most 2500 characters.",
  })
  @IsVisibleText()
  @FitsModelLimit("promptMaxLength")
  prompt!: string;

  @Field((_type) => String, {
    nullable: true,
    description: "What to avoid. Visible text like the prompt, at most 2500 characters.",
  })
  @IsVisibleText()
  @FitsModelLimit("negativePromptMaxLength")
  negativePrompt?: string | null;

  @Field((_type) => GenerationMode, { defaultValue: GenerationMode.STD })
  mode!: GenerationMode;

  @Field((_type) => Boolean, { nullable: true })
  watermark?: boolean | null;
}
