import { Query, Resolver } from "type-graphql";
import {
  describeVideoModels,
  type VideoModelCapabilities as Capabilities,
} from "../generation/model-capabilities.mapper";
import { VideoModelCapabilities } from "./video-model.type";

@Resolver()
export class VideoModelResolver {
  @Query((_returns) => [VideoModelCapabilities], {
    description:
      "What each model accepts: its modes with their resolution and durations, aspect ratios, prompt limits and frames. Built from the rules the mutations apply, so every combination listed is accepted and no other; it changes only when the gateway is upgraded.",
  })
  videoModels(): Capabilities[] {
    return describeVideoModels();
  }
}
