import { FRAME_URL_PROBLEMS, frameUrlProblem, STRICT_FRAME_URLS } from "../../src/domain/frame-url";
import { TEXT_PROBLEMS, textProblem } from "../../src/domain/text-hygiene";
import { BadUserInputError } from "../../src/errors/gateway-errors";
import { createArgumentValidator, validateArgument } from "../../src/graphql/input.validation";
import type { ImageToVideoInput } from "../../src/graphql/image-to-video.input";
import type { TextToVideoInput } from "../../src/graphql/text-to-video.input";
import { aTextInput, anImageInput } from "../helpers/fixtures";
import {
  NEVER_FRAME_URLS,
  PRIVATE_FRAME_URLS,
  PUBLIC_FRAME_URLS,
  REFUSED_FRAME_URLS,
  UNUSABLE_TEXTS,
  USABLE_TEXTS,
} from "../helpers/hostile-inputs";

const PRIVATE_ALLOWED = { allowPrivate: true };

describe("textProblem", () => {
  it.each(UNUSABLE_TEXTS)("refuses %s", (_what, text) => {
    expect(Object.values(TEXT_PROBLEMS)).toContain(textProblem(text));
  });

  it.each(USABLE_TEXTS)("accepts %s", (_what, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it("says which rule a text breaks", () => {
    expect(textProblem("\u200b\u200b")).toBe("must not be blank");
    expect(textProblem("a\u0000b")).toBe(
      "must not contain control characters (only tab and newline are allowed)",
    );
    expect(textProblem("a\ud800b")).toBe(
      "must be valid Unicode text (it contains a lone surrogate)",
    );
  });
});

describe("frameUrlProblem", () => {
  it.each(REFUSED_FRAME_URLS)("refuses %s (%s)", (url, kind) => {
    expect(frameUrlProblem(url, STRICT_FRAME_URLS)).toBe(FRAME_URL_PROBLEMS[kind]);
  });

  it.each(PUBLIC_FRAME_URLS)("accepts the public %s", (url) => {
    expect(frameUrlProblem(url, STRICT_FRAME_URLS)).toBeNull();
  });

  it.each(PRIVATE_FRAME_URLS)("accepts %s only when private frame URLs are allowed", (url) => {
    expect(frameUrlProblem(url, STRICT_FRAME_URLS)).toBe(FRAME_URL_PROBLEMS.host);
    expect(frameUrlProblem(url, PRIVATE_ALLOWED)).toBeNull();
  });

  it.each(NEVER_FRAME_URLS)("refuses %s even when private frame URLs are allowed", (url) => {
    expect(frameUrlProblem(url, PRIVATE_ALLOWED)).not.toBeNull();
  });

  it.each(["ftp://cdn.example.com/a.png", "javascript:alert(1)", "/a.png", "https://", ""])(
    "still refuses %j as no http(s) URL at all",
    (url) => {
      expect(frameUrlProblem(url, PRIVATE_ALLOWED)).toBe(FRAME_URL_PROBLEMS.url);
    },
  );
});

describe("the GraphQL inputs apply both rules, naming the field", () => {
  async function fields(input: TextToVideoInput | ImageToVideoInput, validate = validateArgument) {
    const resolverData = { args: { input } } as unknown as Parameters<typeof validateArgument>[2];
    const error = await Promise.resolve(validate(input, input.constructor as never, resolverData))
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as BadUserInputError).fields.map((field) => field.path);
  }

  it.each(UNUSABLE_TEXTS)("refuses a prompt of %s as input.prompt", async (_what, prompt) => {
    expect(await fields(aTextInput({ prompt }))).toEqual(["input.prompt"]);
    expect(await fields(anImageInput({ prompt }))).toEqual(["input.prompt"]);
  });

  it.each(UNUSABLE_TEXTS)(
    "refuses a negative prompt of %s as input.negativePrompt",
    async (_what, negativePrompt) => {
      expect(await fields(aTextInput({ negativePrompt }))).toEqual(["input.negativePrompt"]);
    },
  );

  it.each(REFUSED_FRAME_URLS)("refuses %s as a first or last frame", async (url) => {
    expect(await fields(anImageInput({ firstFrameUrl: url }))).toEqual(["input.firstFrameUrl"]);
    expect(await fields(anImageInput({ lastFrameUrl: url }))).toEqual(["input.lastFrameUrl"]);
  });

  it("judges frame URLs by the policy the validator was made with", async () => {
    const lenient = createArgumentValidator({ framePolicy: PRIVATE_ALLOWED });
    const input = anImageInput({ firstFrameUrl: "http://10.0.0.5/a.png" });
    const resolverData = { args: { input } } as unknown as Parameters<typeof validateArgument>[2];
    await expect(
      Promise.resolve(lenient(input, input.constructor as never, resolverData)),
    ).resolves.toBeUndefined();
    expect(
      await fields(anImageInput({ firstFrameUrl: "http://169.254.169.254/" }), lenient),
    ).toEqual(["input.firstFrameUrl"]);
  });
});
