import { Field, ID, Int, ObjectType } from "type-graphql";
import { AspectRatio, GenerationKind, GenerationMode, VideoModel } from "./generation.enums";
import { Node } from "./node.interface";
import { TaskErrorCode, TaskStatus } from "./task.enums";

// `simpleResolvers`: these types are plain data, read by graphql-js's default resolver. The schema
// has no type-graphql middleware or auth checker, so its per-field wrapper only cost time per field.
@ObjectType("GenerationRequest", {
  simpleResolvers: true,
  description: "Echo of the validated input the task was created from.",
})
export class GenerationRequestType {
  @Field((_type) => GenerationKind, { description: "Which mutation created the task." })
  kind!: GenerationKind;

  @Field((_type) => VideoModel, { description: "The model generating the video." })
  model!: VideoModel;

  @Field((_type) => String, { description: "The prompt, as given." })
  prompt!: string;

  @Field((_type) => String, {
    nullable: true,
    description: "What to avoid, as given; null when none was given.",
  })
  negativePrompt!: string | null;

  @Field((_type) => GenerationMode, { description: "The quality mode." })
  mode!: GenerationMode;

  @Field((_type) => Int, { description: "Length of the video in seconds." })
  durationSeconds!: number;

  @Field((_type) => AspectRatio, {
    nullable: true,
    description:
      "The frame shape asked for; null when an image-to-video request left it to the upstream.",
  })
  aspectRatio!: AspectRatio | null;

  @Field((_type) => String, {
    nullable: true,
    description: "The first frame's URL; null for text-to-video.",
  })
  firstFrameUrl!: string | null;

  @Field((_type) => String, {
    nullable: true,
    description: "The last frame's URL; null when none was given (always for text-to-video).",
  })
  lastFrameUrl!: string | null;

  @Field((_type) => Boolean, {
    nullable: true,
    description: "Whether a watermark was asked for; null when left to the upstream's default.",
  })
  watermark!: boolean | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A generated video, hosted by the upstream until `expiresAt`.",
})
export class Video {
  @Field((_type) => String, { description: "Where to download or stream the MP4 file." })
  url!: string;

  @Field((_type) => String, {
    nullable: true,
    description: "A still image of the video; null when the upstream gave none.",
  })
  thumbnailUrl!: string | null;

  @Field((_type) => Date, {
    nullable: true,
    description:
      "When the upstream deletes the file, after which `url` stops working; null when it did not say. Keep a copy before then if you need one.",
  })
  expiresAt!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "Why a task ended FAILED.",
})
export class TaskError {
  @Field((_type) => TaskErrorCode, { description: "A stable reason, for code to branch on." })
  code!: TaskErrorCode;

  @Field((_type) => String, {
    description: "A sentence safe to show to an end user; it may be the upstream's own words.",
  })
  message!: string;
}

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: "One video generation, owned by the principal that created it.",
})
export class Task implements Node {
  @Field((_type) => ID, {
    description:
      "The gateway's own id (not the upstream's), also its Node id: use it with `task`, `node` and `taskUpdated`.",
  })
  id!: string;

  @Field((_type) => TaskStatus, { description: "Where the task is in its life." })
  status!: TaskStatus;

  @Field((_type) => Int, {
    description: "Percent done, 0..100, as the upstream reports it; 100 once SUCCEEDED.",
  })
  progress!: number;

  @Field((_type) => Int, {
    description:
      "1 when created, +1 on every stored change; clients drop events with a version they have seen.",
  })
  version!: number;

  @Field((_type) => GenerationRequestType, {
    description: "The validated input the task was created from.",
  })
  request!: GenerationRequestType;

  @Field((_type) => Video, { nullable: true, description: "Set when SUCCEEDED, else null." })
  video!: Video | null;

  @Field((_type) => TaskError, { nullable: true, description: "Set when FAILED, else null." })
  error!: TaskError | null;

  @Field((_type) => Int, {
    nullable: true,
    description:
      "Seconds until the video is expected to be ready, an estimate: 0 once the task is final, null while the upstream has given no estimate.",
  })
  estimatedSecondsRemaining!: number | null;

  @Field((_type) => Date, { description: "When the gateway accepted the request." })
  createdAt!: Date;

  @Field((_type) => Date, { description: "When the current version was stored." })
  updatedAt!: Date;

  @Field((_type) => Date, {
    nullable: true,
    description: "When the task reached a final status; null while QUEUED or PROCESSING.",
  })
  completedAt!: Date | null;
}
