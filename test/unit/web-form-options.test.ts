import { durationsFor, modesFor, settle, type ModelOffer } from "../../src/web/form/form-options";

const KLING: ModelOffer = {
  model: "KLING_V3",
  name: "Kling v3",
  aspectRatios: ["LANDSCAPE_16_9", "PORTRAIT_9_16", "SQUARE_1_1"],
  promptMaxLength: 2500,
  negativePromptMaxLength: 2500,
  maxFrames: 2,
  modes: [
    {
      mode: "STD",
      resolution: "720p",
      textToVideoDurations: [5, 10, 15],
      imageToVideoDurations: [5, 10],
    },
    {
      mode: "PRO",
      resolution: "1080p",
      textToVideoDurations: [5, 10],
      imageToVideoDurations: [5, 10],
    },
  ],
};

describe("the demo form's choices", () => {
  it("offers the durations of the mode and kind, as videoModels lists them", () => {
    expect(durationsFor(KLING, "STD", "TEXT_TO_VIDEO")).toEqual([5, 10, 15]);
    expect(durationsFor(KLING, "PRO", "TEXT_TO_VIDEO")).toEqual([5, 10]);
    expect(durationsFor(KLING, "STD", "IMAGE_TO_VIDEO")).toEqual([5, 10]);
    expect(durationsFor(KLING, "ULTRA", "TEXT_TO_VIDEO")).toEqual([]);
  });

  it("keeps a choice that stays valid", () => {
    const wanted = { mode: "PRO", durationSeconds: 10, aspectRatio: "SQUARE_1_1" };
    expect(settle(KLING, "TEXT_TO_VIDEO", wanted)).toEqual(wanted);
  });

  it("moves 15 s to the longest shorter duration when the mode or the kind stops offering it", () => {
    const fifteen = { mode: "STD", durationSeconds: 15, aspectRatio: "LANDSCAPE_16_9" };
    expect(settle(KLING, "TEXT_TO_VIDEO", { ...fifteen, mode: "PRO" })?.durationSeconds).toBe(10);
    expect(settle(KLING, "IMAGE_TO_VIDEO", fifteen)?.durationSeconds).toBe(10);
  });

  it("starts from the first offered mode, duration and aspect ratio", () => {
    expect(settle(KLING, "TEXT_TO_VIDEO", {})).toEqual({
      mode: "STD",
      durationSeconds: 5,
      aspectRatio: "LANDSCAPE_16_9",
    });
  });

  it("leaves out a mode that has no duration for the kind, and offers nothing when none has", () => {
    const textOnlyPro: ModelOffer = {
      ...KLING,
      modes: [KLING.modes[0], { ...KLING.modes[1], imageToVideoDurations: [] }],
    };
    expect(modesFor(textOnlyPro, "IMAGE_TO_VIDEO").map((mode) => mode.mode)).toEqual(["STD"]);
    expect(settle(textOnlyPro, "IMAGE_TO_VIDEO", { mode: "PRO" })?.mode).toBe("STD");
    const textOnly: ModelOffer = {
      ...KLING,
      modes: KLING.modes.map((mode) => ({ ...mode, imageToVideoDurations: [] })),
    };
    expect(settle(textOnly, "IMAGE_TO_VIDEO", {})).toBeNull();
  });
});
