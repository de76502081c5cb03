import { GenerationKind, GenerationMode, VideoModel } from "../../src/domain/generation-request";
import { MODEL_CONSTRAINTS, type ModelConstraints } from "../../src/domain/model-constraints";
import { describeVideoModels } from "../../src/generation/model-capabilities.mapper";

describe("describeVideoModels", () => {
  it("describes kling-v3 as the upstream documents it: PRO has no 15 s, image-to-video no 15 s", () => {
    expect(describeVideoModels()).toEqual([
      {
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
      },
    ]);
  });

  it("follows a table change with no code change: durations sorted, ratios in enum order", () => {
    const kling = MODEL_CONSTRAINTS[VideoModel.KLING_V3];
    const table: Record<VideoModel, ModelConstraints> = {
      [VideoModel.KLING_V3]: {
        ...kling,
        maxFrames: 1,
        aspectRatios: {
          SQUARE_1_1: "1:1",
          LANDSCAPE_16_9: "16:9",
        } as ModelConstraints["aspectRatios"],
        durations: {
          ...kling.durations,
          [GenerationKind.IMAGE_TO_VIDEO]: {
            [GenerationMode.STD]: [10, 5],
            [GenerationMode.PRO]: [],
          },
        },
      },
    };
    const [capabilities] = describeVideoModels(table);
    expect(capabilities.maxFrames).toBe(1);
    expect(capabilities.aspectRatios).toEqual(["LANDSCAPE_16_9", "SQUARE_1_1"]);
    expect(capabilities.modes.map((mode) => mode.imageToVideoDurations)).toEqual([[5, 10], []]);
  });

  it("hands out copies: a caller cannot change the table through them", () => {
    describeVideoModels()[0].modes[0].textToVideoDurations.push(99);
    expect(MODEL_CONSTRAINTS[VideoModel.KLING_V3].durations.TEXT_TO_VIDEO.STD).toEqual([5, 10, 15]);
  });
});
