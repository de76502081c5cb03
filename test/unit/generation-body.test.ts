import {
  AspectRatio,
  GenerationKind,
  GenerationMode,
  VideoModel,
} from "../../src/domain/generation-request";
import { ImageToVideoInput } from "../../src/graphql/image-to-video.input";
import { TextToVideoInput } from "../../src/graphql/text-to-video.input";
import { toGenerationRequest } from "../../src/graphql/generation-request.mapper";
import { toSubmitBody } from "../../src/upstream/apimart.body";
import { aTextInput, anImageInput, FIRST_FRAME_URL, PROMPT } from "../helpers/fixtures";

const { STD, PRO } = GenerationMode;
const LAST = "https://cdn.example.com/last.png";

const textBody = (fields: Partial<TextToVideoInput> = {}) =>
  toSubmitBody(toGenerationRequest(GenerationKind.TEXT_TO_VIDEO, aTextInput(fields)));

const imageBody = (fields: Partial<ImageToVideoInput> = {}) =>
  toSubmitBody(toGenerationRequest(GenerationKind.IMAGE_TO_VIDEO, anImageInput(fields)));

describe("toGenerationRequest", () => {
  it("echoes a text-to-video input with nulls for what it cannot carry", () => {
    expect(
      toGenerationRequest(
        GenerationKind.TEXT_TO_VIDEO,
        aTextInput({ mode: PRO, durationSeconds: 10, aspectRatio: AspectRatio.SQUARE_1_1 }),
      ),
    ).toStrictEqual({
      kind: GenerationKind.TEXT_TO_VIDEO,
      model: VideoModel.KLING_V3,
      prompt: PROMPT,
      negativePrompt: null,
      mode: PRO,
      durationSeconds: 10,
      aspectRatio: AspectRatio.SQUARE_1_1,
      firstFrameUrl: null,
      lastFrameUrl: null,
      watermark: null,
    });
  });

  it("echoes an image-to-video input with its frames, options and no aspect ratio", () => {
    expect(
      toGenerationRequest(
        GenerationKind.IMAGE_TO_VIDEO,
        anImageInput({ lastFrameUrl: LAST, negativePrompt: "blur", watermark: false }),
      ),
    ).toStrictEqual({
      kind: GenerationKind.IMAGE_TO_VIDEO,
      model: VideoModel.KLING_V3,
      prompt: PROMPT,
      negativePrompt: "blur",
      mode: STD,
      durationSeconds: 5,
      aspectRatio: null,
      firstFrameUrl: FIRST_FRAME_URL,
      lastFrameUrl: LAST,
      watermark: false,
    });
  });
});

describe("toSubmitBody: text-to-video", () => {
  it.each([
    [STD, 5, AspectRatio.LANDSCAPE_16_9, "std", "16:9"],
    [STD, 10, AspectRatio.PORTRAIT_9_16, "std", "9:16"],
    [STD, 15, AspectRatio.SQUARE_1_1, "std", "1:1"],
    [PRO, 5, AspectRatio.PORTRAIT_9_16, "pro", "9:16"],
    [PRO, 10, AspectRatio.LANDSCAPE_16_9, "pro", "16:9"],
  ])(
    "sends %s %i s %s as mode %s and aspect_ratio %s",
    (mode, durationSeconds, aspectRatio, wireMode, wireRatio) => {
      expect(textBody({ mode, durationSeconds, aspectRatio })).toStrictEqual({
        model: "kling-v3",
        prompt: PROMPT,
        mode: wireMode,
        duration: durationSeconds,
        aspect_ratio: wireRatio,
      });
    },
  );

  it("sends the duration as a number", () => {
    expect(typeof textBody({ durationSeconds: 10 }).duration).toBe("number");
  });

  it("adds negative_prompt and watermark only when given", () => {
    expect(textBody({ negativePrompt: "text, logos", watermark: true })).toStrictEqual({
      model: "kling-v3",
      prompt: PROMPT,
      mode: "std",
      duration: 5,
      aspect_ratio: "16:9",
      negative_prompt: "text, logos",
      watermark: true,
    });
    const plain = textBody({ negativePrompt: null, watermark: null });
    expect(plain).not.toHaveProperty("negative_prompt");
    expect(plain).not.toHaveProperty("watermark");
  });

  it("sends watermark false as false, not as absent", () => {
    expect(textBody({ watermark: false })).toHaveProperty("watermark", false);
  });

  it("sends an empty negative prompt as given", () => {
    expect(textBody({ negativePrompt: "" })).toHaveProperty("negative_prompt", "");
  });

  it("never sends image fields", () => {
    const body = textBody();
    expect(body).not.toHaveProperty("image_urls");
    expect(body).not.toHaveProperty("last_frame_image");
  });
});

describe("toSubmitBody: image-to-video", () => {
  it.each([
    [STD, 5, "std"],
    [STD, 10, "std"],
    [PRO, 5, "pro"],
    [PRO, 10, "pro"],
  ])(
    "sends %s %i s with the first frame and no aspect_ratio",
    (mode, durationSeconds, wireMode) => {
      expect(imageBody({ mode, durationSeconds })).toStrictEqual({
        model: "kling-v3",
        prompt: PROMPT,
        mode: wireMode,
        duration: durationSeconds,
        image_urls: [FIRST_FRAME_URL],
      });
    },
  );

  it("sends first and last frame, in that order, as image_urls", () => {
    expect(imageBody({ mode: PRO, durationSeconds: 10, lastFrameUrl: LAST })).toStrictEqual({
      model: "kling-v3",
      prompt: PROMPT,
      mode: "pro",
      duration: 10,
      image_urls: [FIRST_FRAME_URL, LAST],
    });
  });

  it("sends an aspect_ratio when one is given", () => {
    expect(imageBody({ aspectRatio: AspectRatio.PORTRAIT_9_16 })).toHaveProperty(
      "aspect_ratio",
      "9:16",
    );
  });

  it("adds negative_prompt and watermark only when given", () => {
    expect(imageBody({ negativePrompt: "shaky camera", watermark: false })).toStrictEqual({
      model: "kling-v3",
      prompt: PROMPT,
      mode: "std",
      duration: 5,
      image_urls: [FIRST_FRAME_URL],
      negative_prompt: "shaky camera",
      watermark: false,
    });
    expect(Object.keys(imageBody({ lastFrameUrl: null })).sort()).toEqual([
      "duration",
      "image_urls",
      "mode",
      "model",
      "prompt",
    ]);
  });
});
