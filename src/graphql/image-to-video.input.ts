import { Field, InputType, Int } from "type-graphql";
import { durationsText } from "./constraint.descriptions";
import { GenerationInputBase } from "./generation-base.input";
import { AspectRatio, GenerationKind } from "./generation.enums";
import { MAX_URL_LENGTH } from "../domain/http-url";
import { GENERATION_DEFAULTS } from "../domain/model-constraints";
import { IsLastFrameAccepted, IsOfferedDuration } from "./generation.validators";

@InputType({
  description: "A video that starts from a first frame, and optionally ends on a last frame.",
})
export class ImageToVideoInput extends GenerationInputBase {
  /**
   * The fields that hold frame URLs, which the upstream will fetch: the argument validator judges
   * them by the configured policy (`ALLOW_PRIVATE_FRAME_URLS`), see `createArgumentValidator`.
   */
  static readonly frameUrlFields = ["firstFrameUrl", "lastFrameUrl"] as const;

  @Field((_type) => Int, {
    defaultValue: GENERATION_DEFAULTS.durationSeconds,
    description: `Length of the video in seconds: ${durationsText(GenerationKind.IMAGE_TO_VIDEO)}.`,
  })
  @IsOfferedDuration(GenerationKind.IMAGE_TO_VIDEO)
  durationSeconds!: number;

  @Field((_type) => String, {
    description: `The image the video starts from: an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters that the upstream can fetch (public, no hot-link protection).`,
  })
  firstFrameUrl!: string;

  @Field((_type) => String, {
    nullable: true,
    description:
      "The image the video ends on, a URL like `firstFrameUrl`; only for a model whose `maxFrames` is 2 or more. Null or absent: the model decides how the video ends.",
  })
  @IsLastFrameAccepted()
  lastFrameUrl?: string | null;

  @Field((_type) => AspectRatio, {
    nullable: true,
    description:
      "Frame shape of the video. The upstream may replace it with the first frame's own shape; null or absent leaves it to the upstream.",
  })
  aspectRatio?: AspectRatio | null;
}
