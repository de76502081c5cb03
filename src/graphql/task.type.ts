import { Field, ID, Int, ObjectType } from "type-graphql";
import { AspectRatio, GenerationKind, GenerationMode, VideoModel } from "./generation.enums";
import { Node } from "./node.interface";
import { TaskErrorCode, TaskStatus } from "./task.enums";

@ObjectType("GenerationRequest", {
  description: "Echo of the validated input the task was created from.",
})
export class GenerationRequestType {
  @Field((_type) => GenerationKind)
  kind!: GenerationKind;

  @Field((_type) => VideoModel)
  model!: VideoModel;

  @Field((_type) => String)
  prompt!: string;

  @Field((_type) => String, { nullable: true })
  negativePrompt!: string | null;

  @Field((_type) => GenerationMode)
  mode!: GenerationMode;

  @Field((_type) => Int)
  durationSeconds!: number;

  @Field((_type) => AspectRatio, { nullable: true })
  aspectRatio!: AspectRatio | null;

  @Field((_type) => String, { nullable: true })
  firstFrameUrl!: string | null;

  @Field((_type) => String, { nullable: true })
  lastFrameUrl!: string | null;

  @Field((_type) => Boolean, { nullable: true })
  watermark!: boolean | null;
}

@ObjectType()
export class Video {
  @Field((_type) => String)
  url!: string;

  @Field((_type) => String, { nullable: true })
  thumbnailUrl!: string | null;

  @Field((_type) => Date, { nullable: true, description: "When the upstream deletes the file." })
  expiresAt!: Date | null;
}

@ObjectType()
export class TaskError {
  @Field((_type) => TaskErrorCode, {
    description: "Stable code, e.g. GENERATION_FAILED or TIMED_OUT.",
  })
  code!: TaskErrorCode;

  @Field((_type) => String, { description: "Safe to show to an end user." })
  message!: string;
}

@ObjectType({
  implements: Node,
  description: "One video generation, owned by the principal that created it.",
})
export class Task implements Node {
  @Field((_type) => ID, { description: "The gateway's own id (not the upstream's)." })
  id!: string;

  @Field((_type) => TaskStatus)
  status!: TaskStatus;

  @Field((_type) => Int, { description: "0..100" })
  progress!: number;

  @Field((_type) => Int, {
    description: "+1 on every stored change; clients drop events with a version they have seen.",
  })
  version!: number;

  @Field((_type) => GenerationRequestType)
  request!: GenerationRequestType;

  @Field((_type) => Video, { nullable: true, description: "Set when SUCCEEDED." })
  video!: Video | null;

  @Field((_type) => TaskError, { nullable: true, description: "Set when FAILED." })
  error!: TaskError | null;

  @Field((_type) => Int, {
    nullable: true,
    description: "Null when the upstream gave no estimate.",
  })
  estimatedSecondsRemaining!: number | null;

  @Field((_type) => Date)
  createdAt!: Date;

  @Field((_type) => Date)
  updatedAt!: Date;

  @Field((_type) => Date, { nullable: true })
  completedAt!: Date | null;
}
