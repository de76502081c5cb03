import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GatewayContext } from "./context";
import { Task } from "./task.type";
import type { TaskRecord } from "../domain/task";
import { GenerationKind } from "../domain/generation-request";
import { ImageToVideoInput } from "./image-to-video.input";
import { TextToVideoInput } from "./text-to-video.input";
import { toGenerationRequest } from "./generation-request.mapper";

const SUBMITS =
  "Validates the input, submits it upstream, and returns the new task (QUEUED, version 1): follow it with `taskUpdated(id)`. A request the model cannot serve is refused with BAD_USER_INPUT naming each field, before anything is sent, so it costs nothing.";

const INPUT = "What to generate; `videoModels` lists the combinations each model accepts.";

const IDEMPOTENCY_KEY =
  "Makes a retry safe: 1 to 255 visible ASCII characters (no spaces), e.g. a UUID made once per user action. The same key with the same input returns the same task, with no second submit, for at least 24 hours; with a different input it is refused with IDEMPOTENCY_KEY_REUSED. Null or absent: every call submits anew.";

@Resolver()
export class GenerationResolver {
  @Mutation((_returns) => Task, { description: `Generates a video from a prompt. ${SUBMITS}` })
  generateVideoFromText(
    @Arg("input", (_type) => TextToVideoInput, { description: INPUT }) input: TextToVideoInput,
    @Arg("idempotencyKey", (_type) => String, { nullable: true, description: IDEMPOTENCY_KEY })
    idempotencyKey: string | null,
    @Ctx() { principal, services }: GatewayContext,
  ): Promise<TaskRecord> {
    return services.generation.submit(
      principal,
      toGenerationRequest(GenerationKind.TEXT_TO_VIDEO, input),
      idempotencyKey,
    );
  }

  @Mutation((_returns) => Task, {
    description: `Generates a video from a first frame, and optionally a last frame. ${SUBMITS}`,
  })
  generateVideoFromImage(
    @Arg("input", (_type) => ImageToVideoInput, { description: INPUT }) input: ImageToVideoInput,
    @Arg("idempotencyKey", (_type) => String, { nullable: true, description: IDEMPOTENCY_KEY })
    idempotencyKey: string | null,
    @Ctx() { principal, services }: GatewayContext,
  ): Promise<TaskRecord> {
    return services.generation.submit(
      principal,
      toGenerationRequest(GenerationKind.IMAGE_TO_VIDEO, input),
      idempotencyKey,
    );
  }
}
