import { checkSubmission } from "../../src/simulator/simulator.validation";

const base = { model: "kling-v3", prompt: "a golden retriever running on the beach" };
const image = "https://example.com/first.jpg";

describe("checkSubmission", () => {
  it.each([
    ["the minimal text-to-video body", base],
    ["std 15 s text-to-video", { ...base, mode: "std", duration: 15 }],
    ["pro 10 s text-to-video", { ...base, mode: "pro", duration: 10 }],
    [
      "every optional text-to-video field",
      { ...base, negative_prompt: "blur", aspect_ratio: "1:1", watermark: false },
    ],
    ["image-to-video with a first frame", { ...base, image_urls: [image] }],
    [
      "image-to-video with first and last frames",
      { ...base, image_urls: [image, image], duration: 10 },
    ],
    [
      "image-to-video with last_frame_image",
      { ...base, image_urls: [image], last_frame_image: image },
    ],
    ["pro 5 s image-to-video", { ...base, mode: "pro", image_urls: ["http://example.com/a.png"] }],
    ["unknown extra fields", { ...base, seed: 42 }],
  ])("accepts %s", (_name, body) => {
    expect(checkSubmission(body)).toEqual({
      ok: true,
      submission: { model: "kling-v3", prompt: base.prompt },
    });
  });

  it.each([
    ["a body that is not an object", [base], /JSON object/],
    ["a missing model", { prompt: "x" }, /model/],
    ["another model", { ...base, model: "kling-v2" }, /model/],
    ["a model named after an Object property", { ...base, model: "toString" }, /model/],
    ["a missing prompt", { model: "kling-v3" }, /prompt/],
    ["a blank prompt", { ...base, prompt: "   " }, /prompt/],
    ["a non-string prompt", { ...base, prompt: 5 }, /prompt/],
    ["an unknown mode", { ...base, mode: "ultra" }, /mode/],
    ["a duration given as a string", { ...base, duration: "5" }, /duration/],
    ["a duration outside 5/10/15", { ...base, duration: 7 }, /duration/],
    ["pro with 15 s", { ...base, mode: "pro", duration: 15 }, /duration 15 .*pro/],
    [
      "15 s image-to-video",
      { ...base, duration: 15, image_urls: [image] },
      /duration 15 .*image-to-video/,
    ],
    ["an unknown aspect ratio", { ...base, aspect_ratio: "4:3" }, /aspect_ratio/],
    ["a non-string negative_prompt", { ...base, negative_prompt: ["blur"] }, /negative_prompt/],
    ["image_urls that is not an array", { ...base, image_urls: image }, /image_urls/],
    ["an empty image_urls", { ...base, image_urls: [] }, /image_urls/],
    ["three image_urls", { ...base, image_urls: [image, image, image] }, /image_urls/],
    ["a non-http image url", { ...base, image_urls: ["ftp://example.com/a.jpg"] }, /image_urls/],
    ["an image url that is not a URL", { ...base, image_urls: ["first.jpg"] }, /image_urls/],
    ["last_frame_image without image_urls", { ...base, last_frame_image: image }, /image_urls/],
    [
      "a last_frame_image that is not a URL",
      { ...base, image_urls: [image], last_frame_image: 1 },
      /last_frame_image/,
    ],
    ["a non-boolean watermark", { ...base, watermark: "true" }, /watermark/],
    ["null for an optional field", { ...base, mode: null }, /mode/],
  ])("refuses %s", (_name, body, message) => {
    const check = checkSubmission(body);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(message);
  });
});
