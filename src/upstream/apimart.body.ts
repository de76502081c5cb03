import { GenerationMode, type GenerationRequest } from "../domain/generation-request";
import { MODEL_CONSTRAINTS } from "../domain/model-constraints";

/** Body of `POST /v1/videos/generations`, exactly as APIMart expects it. */
export interface SubmitBody {
  model: string;
  prompt: string;
  mode?: "std" | "pro";
  duration?: number;
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  negative_prompt?: string;
  image_urls?: string[];
  last_frame_image?: string;
  watermark?: boolean;
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
    mode: request.mode === GenerationMode.PRO ? "pro" : "std",
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
