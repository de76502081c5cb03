import { GenerationKind, type GenerationRequest } from "../domain/generation-request";
import type { ImageToVideoInput } from "./image-to-video.input";
import type { TextToVideoInput } from "./text-to-video.input";

/** The validated input as the gateway stores and echoes it. */
export function toGenerationRequest(
  kind: GenerationKind,
  input: TextToVideoInput | ImageToVideoInput,
): GenerationRequest {
  const image = kind === GenerationKind.IMAGE_TO_VIDEO ? (input as ImageToVideoInput) : null;
  return {
    kind,
    model: input.model,
    prompt: input.prompt,
    negativePrompt: input.negativePrompt ?? null,
    mode: input.mode,
    durationSeconds: input.durationSeconds,
    aspectRatio: input.aspectRatio ?? null,
    firstFrameUrl: image?.firstFrameUrl ?? null,
    lastFrameUrl: image?.lastFrameUrl ?? null,
    watermark: input.watermark ?? null,
  };
}
