/** What one model accepts, as the upstream documents it (UPSTREAM.md, "Submit"). */
interface ModelRules {
  modes: readonly string[];
  defaultMode: string;
  defaultDuration: number;
  aspectRatios: readonly string[];
  maxImages: number;
  /** Allowed durations in seconds, per kind and mode. */
  durations: Record<"text-to-video" | "image-to-video", Record<string, readonly number[]>>;
}

const MODEL_RULES: Record<string, ModelRules> = {
  "kling-v3": {
    modes: ["std", "pro"],
    defaultMode: "std",
    defaultDuration: 5,
    aspectRatios: ["16:9", "9:16", "1:1"],
    maxImages: 2,
    durations: {
      "text-to-video": { std: [5, 10, 15], pro: [5, 10] },
      "image-to-video": { std: [5, 10], pro: [5, 10] },
    },
  },
};

/** The fields of an accepted submit the simulator acts on. */
export interface AcceptedSubmission {
  model: string;
  prompt: string;
}

export type SubmissionCheck =
  { ok: true; submission: AcceptedSubmission } | { ok: false; message: string };

/** Checks a parsed `POST /v1/videos/generations` body the way the upstream does. */
export function checkSubmission(body: unknown): SubmissionCheck {
  const refuse = (message: string): SubmissionCheck => ({ ok: false, message });
  if (!isRecord(body)) return refuse("Request body must be a JSON object");

  const { model, prompt, mode, duration, aspect_ratio, negative_prompt } = body;
  const { image_urls, last_frame_image, watermark } = body;
  const models = Object.keys(MODEL_RULES).join(", ");
  if (typeof model !== "string" || !Object.hasOwn(MODEL_RULES, model)) {
    return refuse(`model must be one of: ${models}`);
  }
  const rules = MODEL_RULES[model];
  if (typeof prompt !== "string" || prompt.trim() === "") {
    return refuse("prompt is required and must be a non-empty string");
  }
  if (mode !== undefined && !rules.modes.includes(mode as string)) {
    return refuse(`mode must be one of: ${rules.modes.join(", ")}`);
  }
  const allDurations = [...new Set(Object.values(rules.durations["text-to-video"]).flat())];
  if (duration !== undefined && !allDurations.includes(duration as number)) {
    return refuse(`duration must be a number, one of: ${allDurations.join(", ")}`);
  }
  if (aspect_ratio !== undefined && !rules.aspectRatios.includes(aspect_ratio as string)) {
    return refuse(`aspect_ratio must be one of: ${rules.aspectRatios.join(", ")}`);
  }
  if (negative_prompt !== undefined && typeof negative_prompt !== "string") {
    return refuse("negative_prompt must be a string");
  }
  if (image_urls !== undefined) {
    const valid =
      Array.isArray(image_urls) &&
      image_urls.length >= 1 &&
      image_urls.length <= rules.maxImages &&
      image_urls.every(isHttpUrl);
    if (!valid) {
      return refuse(`image_urls must be an array of 1 to ${rules.maxImages} http(s) URLs`);
    }
  }
  if (last_frame_image !== undefined) {
    if (!isHttpUrl(last_frame_image)) return refuse("last_frame_image must be an http(s) URL");
    if (image_urls === undefined) {
      return refuse("last_frame_image is only supported for image-to-video (with image_urls)");
    }
  }
  if (watermark !== undefined && typeof watermark !== "boolean") {
    return refuse("watermark must be a boolean");
  }

  const kind = image_urls === undefined ? "text-to-video" : "image-to-video";
  const chosenMode = (mode as string | undefined) ?? rules.defaultMode;
  const chosenDuration = (duration as number | undefined) ?? rules.defaultDuration;
  const allowed = rules.durations[kind][chosenMode];
  if (!allowed.includes(chosenDuration)) {
    return refuse(
      `duration ${chosenDuration} is not supported for ${kind} in ${chosenMode} mode ` +
        `(supported: ${allowed.join(", ")})`,
    );
  }
  return { ok: true, submission: { model, prompt } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
