import type { SubmitBody } from "../upstream/upstream.types";
import { GenerationKind, type GenerationRequest } from "./generation.model";
import type { ImageToVideoInput } from "./image-to-video.input";
import { MODEL_CONSTRAINTS } from "./model-constraints";
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

/**
 * The exact body APIMart expects. A last frame travels as the second entry of `image_urls`
 * (first + last frame), which the upstream documents for image-to-video.
 */
export function toSubmitBody(request: GenerationRequest): SubmitBody {
  const constraints = MODEL_CONSTRAINTS[request.model];
  const body: SubmitBody = {
    model: constraints.upstreamModel,
    prompt: request.prompt,
    mode: request.mode === "PRO" ? "pro" : "std",
    duration: request.durationSeconds,
  };
  if (request.aspectRatio !== null)
    body.aspect_ratio = constraints.aspectRatios[request.aspectRatio];
  if (request.negativePrompt !== null) body.negative_prompt = request.negativePrompt;
  if (request.firstFrameUrl !== null) {
    body.image_urls =
      request.lastFrameUrl !== null
        ? [request.firstFrameUrl, request.lastFrameUrl]
        : [request.firstFrameUrl];
  }
  if (request.watermark !== null) body.watermark = request.watermark;
  return body;
}
