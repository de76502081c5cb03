import { BadUserInputError, type FieldProblem } from "../../src/errors/gateway-errors";
import { GenerationKind, GenerationMode, VideoModel } from "../../src/domain/generation-request";
import { ImageToVideoInput } from "../../src/graphql/image-to-video.input";
import { validateArgument } from "../../src/graphql/input.validation";
import {
  durationProblem,
  GENERATION_DEFAULTS,
  MODEL_CONSTRAINTS,
} from "../../src/domain/model-constraints";
import { TextToVideoInput } from "../../src/graphql/text-to-video.input";
import { aTextInput, anImageInput, FIRST_FRAME_URL } from "../helpers/fixtures";

const { STD, PRO } = GenerationMode;
const { TEXT_TO_VIDEO: TEXT, IMAGE_TO_VIDEO: IMAGE } = GenerationKind;

type Input = TextToVideoInput | ImageToVideoInput;

/** Runs the input through type-graphql's validateFn as the `input` argument. */
function validateInput(input: Input): Promise<void> {
  const resolverData = { args: { input } } as unknown as Parameters<typeof validateArgument>[2];
  return Promise.resolve(validateArgument(input, input.constructor as never, resolverData));
}

/** The BadUserInputError the input is refused with; fails the test when it is accepted. */
async function refusal(input: Input): Promise<BadUserInputError> {
  try {
    await validateInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error("expected the input to be refused");
}

async function problems(input: Input): Promise<FieldProblem[]> {
  return (await refusal(input)).fields;
}

describe("durationProblem", () => {
  it.each([
    [TEXT, STD, 5],
    [TEXT, STD, 10],
    [TEXT, STD, 15],
    [TEXT, PRO, 5],
    [TEXT, PRO, 10],
    [IMAGE, STD, 5],
    [IMAGE, STD, 10],
    [IMAGE, PRO, 5],
    [IMAGE, PRO, 10],
  ])("has no problem with %s in %s mode for %i s", (kind, mode, seconds) => {
    expect(durationProblem(VideoModel.KLING_V3, kind, mode, seconds)).toBeNull();
  });

  it("offers the default duration (the schema's default value) for every model, kind and mode", () => {
    for (const model of Object.values(VideoModel))
      for (const kind of Object.values(GenerationKind))
        for (const mode of Object.values(GenerationMode))
          expect(
            durationProblem(model, kind, mode, GENERATION_DEFAULTS.durationSeconds),
          ).toBeNull();
  });

  it("says 15 s in PRO mode is only available in STD mode for text-to-video", () => {
    expect(durationProblem(VideoModel.KLING_V3, TEXT, PRO, 15)).toBe(
      "15 s is only available in STD mode for text-to-video",
    );
  });

  it.each([
    [STD, "15 s is only available for text-to-video; image-to-video in STD mode offers 5, 10 s"],
    [PRO, "15 s is only available for text-to-video; image-to-video in PRO mode offers 5, 10 s"],
  ])(
    "says 15 s is text-to-video only when asked for image-to-video in %s mode",
    (mode, message) => {
      expect(durationProblem(VideoModel.KLING_V3, IMAGE, mode, 15)).toBe(message);
    },
  );

  it.each([
    [TEXT, STD, 7, "7 s is not offered; text-to-video in STD mode offers 5, 10, 15 s"],
    [TEXT, PRO, 7, "7 s is not offered; text-to-video in PRO mode offers 5, 10 s"],
    [IMAGE, STD, 7, "7 s is not offered; image-to-video in STD mode offers 5, 10 s"],
    [IMAGE, PRO, 7, "7 s is not offered; image-to-video in PRO mode offers 5, 10 s"],
    [TEXT, STD, 0, "0 s is not offered; text-to-video in STD mode offers 5, 10, 15 s"],
    [TEXT, STD, 20, "20 s is not offered; text-to-video in STD mode offers 5, 10, 15 s"],
    [IMAGE, PRO, -5, "-5 s is not offered; image-to-video in PRO mode offers 5, 10 s"],
  ])("says %s in %s mode does not offer %i s at all", (kind, mode, seconds, message) => {
    expect(durationProblem(VideoModel.KLING_V3, kind, mode, seconds)).toBe(message);
  });
});

describe("TextToVideoInput and ImageToVideoInput: the duration support matrix", () => {
  it.each([
    [STD, 5],
    [STD, 10],
    [STD, 15],
    [PRO, 5],
    [PRO, 10],
  ])("accepts text-to-video in %s mode for %i s", async (mode, durationSeconds) => {
    await expect(validateInput(aTextInput({ mode, durationSeconds }))).resolves.toBeUndefined();
  });

  it.each([
    [STD, 5],
    [STD, 10],
    [PRO, 5],
    [PRO, 10],
  ])("accepts image-to-video in %s mode for %i s", async (mode, durationSeconds) => {
    await expect(validateInput(anImageInput({ mode, durationSeconds }))).resolves.toBeUndefined();
  });

  it("refuses text-to-video for 15 s in PRO mode, saying only STD offers it", async () => {
    expect(await problems(aTextInput({ mode: PRO, durationSeconds: 15 }))).toEqual([
      {
        path: "input.durationSeconds",
        message: "15 s is only available in STD mode for text-to-video",
      },
    ]);
  });

  it.each([STD, PRO])(
    "refuses image-to-video for 15 s in %s mode, saying it is text-to-video only",
    async (mode) => {
      expect(await problems(anImageInput({ mode, durationSeconds: 15 }))).toEqual([
        {
          path: "input.durationSeconds",
          message: `15 s is only available for text-to-video; image-to-video in ${mode} mode offers 5, 10 s`,
        },
      ]);
    },
  );

  it.each([
    ["text", STD, 7],
    ["text", PRO, 7],
    ["text", STD, 0],
    ["text", STD, 30],
    ["text", PRO, -10],
    ["image", STD, 7],
    ["image", PRO, 20],
  ])(
    "refuses %s-to-video in %s mode for %i s, naming input.durationSeconds",
    async (kind, mode, s) => {
      const input =
        kind === "text"
          ? aTextInput({ mode, durationSeconds: s })
          : anImageInput({ mode, durationSeconds: s });
      const fields = await problems(input);
      expect(fields).toHaveLength(1);
      expect(fields[0].path).toBe("input.durationSeconds");
      expect(fields[0].message).toContain(`${s} s is not offered`);
    },
  );

  it("judges the duration against the default STD mode when no mode is given", async () => {
    await expect(
      validateInput(aTextInput({ mode: undefined, durationSeconds: 15 })),
    ).resolves.toBeUndefined();
  });
});

describe("TextToVideoInput and ImageToVideoInput: prompts", () => {
  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["tabs and newlines", "\t\n \r\n"],
  ])("refuses a %s prompt as blank", async (_case, prompt) => {
    expect(await problems(aTextInput({ prompt }))).toEqual([
      { path: "input.prompt", message: "must not be blank" },
    ]);
    expect(await problems(anImageInput({ prompt }))).toEqual([
      { path: "input.prompt", message: "must not be blank" },
    ]);
  });

  it("accepts a prompt of exactly 2500 characters", async () => {
    await expect(validateInput(aTextInput({ prompt: "a".repeat(2500) }))).resolves.toBeUndefined();
    await expect(
      validateInput(anImageInput({ prompt: "a".repeat(2500) })),
    ).resolves.toBeUndefined();
  });

  it("refuses a prompt of 2501 characters, saying the limit and the length", async () => {
    expect(await problems(aTextInput({ prompt: "a".repeat(2501) }))).toEqual([
      { path: "input.prompt", message: "must be at most 2500 characters (got 2501)" },
    ]);
    expect(await problems(anImageInput({ prompt: "a".repeat(2501) }))).toEqual([
      { path: "input.prompt", message: "must be at most 2500 characters (got 2501)" },
    ]);
  });

  it("counts characters, not UTF-16 units: 2500 emoji fit, 2501 do not", async () => {
    const emoji = "🎬";
    expect(emoji.repeat(2500).length).toBe(5000);
    await expect(
      validateInput(aTextInput({ prompt: emoji.repeat(2500) })),
    ).resolves.toBeUndefined();
    expect(await problems(aTextInput({ prompt: emoji.repeat(2501) }))).toEqual([
      { path: "input.prompt", message: "must be at most 2500 characters (got 2501)" },
    ]);
  });

  it("accepts a negativePrompt of 2500 characters, and none at all", async () => {
    await expect(
      validateInput(aTextInput({ negativePrompt: "b".repeat(2500) })),
    ).resolves.toBeUndefined();
    await expect(validateInput(aTextInput({ negativePrompt: null }))).resolves.toBeUndefined();
    await expect(validateInput(anImageInput({ negativePrompt: null }))).resolves.toBeUndefined();
  });

  it("refuses a negativePrompt longer than 2500 characters", async () => {
    const tooLong = { negativePrompt: "b".repeat(2501) };
    const expected = [
      { path: "input.negativePrompt", message: "must be at most 2500 characters (got 2501)" },
    ];
    expect(await problems(aTextInput(tooLong))).toEqual(expected);
    expect(await problems(anImageInput(tooLong))).toEqual(expected);
  });
});

describe("ImageToVideoInput: frame URLs", () => {
  const URL_MESSAGE = "must be an absolute http:// or https:// URL of at most 2048 characters";

  it.each([
    ["http", "http://images.example.com/a.png"],
    ["https with port, path and query", "https://images.example.com:8443/a/b.jpg?size=large#x"],
  ])("accepts an %s URL as first and last frame", async (_case, url) => {
    await expect(
      validateInput(anImageInput({ firstFrameUrl: url, lastFrameUrl: url })),
    ).resolves.toBeUndefined();
  });

  it("refuses a last frame for a model whose maxFrames is 1, and accepts the first alone", async () => {
    const constraints = MODEL_CONSTRAINTS[VideoModel.KLING_V3];
    const maxFrames = constraints.maxFrames;
    constraints.maxFrames = 1;
    try {
      expect(await problems(anImageInput({ lastFrameUrl: FIRST_FRAME_URL }))).toEqual([
        { path: "input.lastFrameUrl", message: "this model takes a first frame only" },
      ]);
      await expect(validateInput(anImageInput())).resolves.toBeUndefined();
    } finally {
      constraints.maxFrames = maxFrames;
    }
  });

  it("accepts a null or absent lastFrameUrl", async () => {
    await expect(validateInput(anImageInput({ lastFrameUrl: null }))).resolves.toBeUndefined();
    await expect(validateInput(anImageInput({ lastFrameUrl: undefined }))).resolves.toBeUndefined();
  });

  it.each([
    ["relative", "/frames/first.png"],
    ["protocol-relative", "//cdn.example.com/a.png"],
    ["ftp:", "ftp://cdn.example.com/a.png"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:image/png;base64,iVBORw0KGgo="],
    ["file:", "file:///etc/passwd"],
    ["plain words", "not a url"],
    ["with spaces", "https://cdn.example.com/my frame.png"],
    ["empty", ""],
    ["over 2048 characters", `https://cdn.example.com/${"a".repeat(2048)}.png`],
  ])("refuses a %s firstFrameUrl and lastFrameUrl", async (_case, url) => {
    expect(await problems(anImageInput({ firstFrameUrl: url }))).toEqual([
      { path: "input.firstFrameUrl", message: URL_MESSAGE },
    ]);
    expect(await problems(anImageInput({ lastFrameUrl: url }))).toEqual([
      { path: "input.lastFrameUrl", message: URL_MESSAGE },
    ]);
  });
});

describe("validateArgument", () => {
  it("reports every bad field, each under its own path", async () => {
    const fields = await problems(
      anImageInput({
        prompt: " ",
        negativePrompt: "n".repeat(2600),
        durationSeconds: 15,
        firstFrameUrl: "ftp://x/a.png",
        lastFrameUrl: "javascript:void(0)",
      }),
    );
    expect(fields.map((field) => field.path).sort()).toEqual([
      "input.durationSeconds",
      "input.firstFrameUrl",
      "input.lastFrameUrl",
      "input.negativePrompt",
      "input.prompt",
    ]);
  });

  it("answers with BAD_USER_INPUT, the fields in extensions, and one path: message each", async () => {
    const error = await refusal(aTextInput({ prompt: "", mode: PRO, durationSeconds: 15 }));
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.extensions.fields).toEqual(error.fields);
    expect(error.message).toContain("input.prompt: must not be blank");
    expect(error.message).toContain(
      "input.durationSeconds: 15 s is only available in STD mode for text-to-video",
    );
  });

  it("never echoes the input back", async () => {
    const prompt = `${"x".repeat(2490)}UNIQUE-TAIL`;
    const error = await refusal(aTextInput({ prompt, negativePrompt: `${prompt}-neg` }));
    const everything = JSON.stringify({ message: error.message, extensions: error.extensions });
    expect(everything).not.toContain("UNIQUE-TAIL");
    expect(everything).not.toContain("x".repeat(100));
    expect(everything.length).toBeLessThan(500);
  });

  it("does not echo a refused frame URL", async () => {
    const error = await refusal(
      anImageInput({ firstFrameUrl: "ftp://private.example/secret.png" }),
    );
    expect(JSON.stringify(error.extensions) + error.message).not.toContain("private.example");
  });

  it("names the argument the input was passed as", async () => {
    const input = aTextInput({ prompt: "" });
    const resolverData = { args: { body: input } } as unknown as Parameters<
      typeof validateArgument
    >[2];
    await expect(
      Promise.resolve(validateArgument(input, TextToVideoInput, resolverData)),
    ).rejects.toMatchObject({ fields: [{ path: "body.prompt", message: "must not be blank" }] });
  });

  it("leaves scalars and null arguments alone", async () => {
    const resolverData = { args: {} } as unknown as Parameters<typeof validateArgument>[2];
    for (const value of [null, undefined, "a string", 42, new Date()]) {
      await expect(
        Promise.resolve(validateArgument(value, String, resolverData)),
      ).resolves.toBeUndefined();
    }
  });
});
