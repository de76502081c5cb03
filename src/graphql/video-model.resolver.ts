import { Query, Resolver } from "type-graphql";
import {
  describeVideoModels,
  type VideoModelCapabilities as Capabilities,
} from "../generation/model-capabilities.mapper";
import { VideoModelCapabilities } from "./video-model.type";

@Resolver()
export class VideoModelResolver {
  @Query((_returns) => [VideoModelCapabilities])
  videoModels(): Capabilities[] {
    return describeVideoModels();
  }
}
