import { registerEnumType } from "type-graphql";
import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../domain/generation-request";

registerEnumType(VideoModel, { name: "VideoModel", description: "The upstream video model." });
registerEnumType(GenerationMode, {
  name: "GenerationMode",
  description: "STD renders 720p, PRO renders 1080p.",
});
registerEnumType(AspectRatio, { name: "AspectRatio" });
registerEnumType(GenerationKind, { name: "GenerationKind" });

export { AspectRatio, GenerationKind, GenerationMode, VideoModel };
