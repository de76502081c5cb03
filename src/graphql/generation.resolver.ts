import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GatewayContext } from "./context";
import { Task } from "./task.type";
import type { TaskRecord } from "../domain/task";
import { GenerationKind } from "../domain/generation-request";
import { ImageToVideoInput } from "./image-to-video.input";
import { TextToVideoInput } from "./text-to-video.input";
import { toGenerationRequest } from "./generation-request.mapper";

@Resolver()
export class GenerationResolver {
  @Mutation((_returns) => Task, {
    description:
      "Validates the input, submits it upstream, returns the new task. The same idempotencyKey with the same input returns the same task for at least 24 h.",
  })
  generateVideoFromText(
    @Arg("input", (_type) => TextToVideoInput) input: TextToVideoInput,
    @Arg("idempotencyKey", (_type) => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() { principal, services }: GatewayContext,
  ): Promise<TaskRecord> {
    return services.generation.submit(
      principal,
      toGenerationRequest(GenerationKind.TEXT_TO_VIDEO, input),
      idempotencyKey,
    );
  }

  @Mutation((_returns) => Task, {
    description:
      "Validates the input, submits it upstream, returns the new task. The same idempotencyKey with the same input returns the same task for at least 24 h.",
  })
  generateVideoFromImage(
    @Arg("input", (_type) => ImageToVideoInput) input: ImageToVideoInput,
    @Arg("idempotencyKey", (_type) => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() { principal, services }: GatewayContext,
  ): Promise<TaskRecord> {
    return services.generation.submit(
      principal,
      toGenerationRequest(GenerationKind.IMAGE_TO_VIDEO, input),
      idempotencyKey,
    );
  }
}
