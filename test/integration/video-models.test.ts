import { describeVideoModels } from "../../src/generation/model-capabilities.mapper";
import type { VideoModelsQuery } from "../generated/graphql";
import {
  GENERATE_FROM_IMAGE,
  GENERATE_FROM_TEXT,
  VIDEO_MODELS,
  type TaskView,
} from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

type Capabilities = VideoModelsQuery["videoModels"][number];
type Generated = { generateVideoFromText?: TaskView; generateVideoFromImage?: TaskView };
type Kind = "text" | "image";

const FIRST = "https://images.example.com/first.png";
const LAST = "https://images.example.com/last.png";

/** Every request a model's capabilities say it accepts, one per offered value. */
function offeredInputs(model: Capabilities): Array<{ kind: Kind; input: Record<string, unknown> }> {
  const base = { model: model.model, prompt: "p".repeat(model.promptMaxLength) };
  return model.modes.flatMap(({ mode, textToVideoDurations, imageToVideoDurations }) => [
    ...model.aspectRatios.flatMap((aspectRatio) =>
      textToVideoDurations.map((durationSeconds) => ({
        kind: "text" as const,
        input: { ...base, mode, durationSeconds, aspectRatio },
      })),
    ),
    ...imageToVideoDurations.map((durationSeconds) => ({
      kind: "image" as const,
      input: {
        ...base,
        mode,
        durationSeconds,
        firstFrameUrl: FIRST,
        ...(model.maxFrames >= 2 ? { lastFrameUrl: LAST } : {}),
      },
    })),
  ]);
}

/** Durations another kind or mode offers, and two none does, that `offered` leaves out. */
function refusedDurations(model: Capabilities, offered: number[]): number[] {
  const all = model.modes.flatMap((m) => [...m.textToVideoDurations, ...m.imageToVideoDurations]);
  return [...new Set([...all, 0, 20])].filter((seconds) => !offered.includes(seconds));
}

describe("videoModels", () => {
  let gateway: TestGateway;
  let models: Capabilities[];
  beforeAll(async () => {
    gateway = await startTestGateway();
    models = (await gateway.gql<VideoModelsQuery>(VIDEO_MODELS)).body.data!.videoModels;
  });
  afterAll(() => gateway.stop());

  const submit = (kind: Kind, input: Record<string, unknown>) =>
    gateway.gql<Generated>(kind === "text" ? GENERATE_FROM_TEXT : GENERATE_FROM_IMAGE, { input });

  it("answers the constraint table: for kling-v3, PRO offers no 15 s", () => {
    expect(models).toEqual(describeVideoModels());
    const kling = models.find((model) => model.model === "KLING_V3")!;
    const pro = kling.modes.find((mode) => mode.mode === "PRO")!;
    expect(pro.textToVideoDurations).not.toContain(15);
  });

  it("every combination it offers is accepted and submitted upstream", async () => {
    const inputs = models.flatMap(offeredInputs);
    const acceptedBefore = gateway.simulator!.stats().acceptedSubmits;
    for (const { kind, input } of inputs) {
      const { body } = await submit(kind, input);
      // The input rides along so that a failure names the combination that was refused.
      expect({ input, errors: body.errors }).toEqual({ input, errors: undefined });
    }
    expect(gateway.simulator!.stats().acceptedSubmits - acceptedBefore).toBe(inputs.length);
  });

  it("a combination it does not offer is refused naming the field, with no upstream call", async () => {
    const submitsBefore = gateway.simulator!.stats().submits;
    let refusals = 0;
    for (const model of models) {
      for (const mode of model.modes) {
        const kinds: Array<[Kind, number[], Record<string, unknown>]> = [
          ["text", mode.textToVideoDurations, {}],
          ["image", mode.imageToVideoDurations, { firstFrameUrl: FIRST }],
        ];
        for (const [kind, offered, extra] of kinds) {
          for (const durationSeconds of refusedDurations(model, offered)) {
            const input = { model: model.model, prompt: "a fox", mode: mode.mode, durationSeconds };
            const { body } = await submit(kind, { ...input, ...extra });
            expect(body.errors?.[0].extensions).toMatchObject({
              code: "BAD_USER_INPUT",
              fields: [{ path: "input.durationSeconds" }],
            });
            refusals += 1;
          }
        }
      }
      const tooLong = { model: model.model, prompt: "p".repeat(model.promptMaxLength + 1) };
      const { body } = await submit("text", tooLong);
      expect(body.errors?.[0].extensions).toMatchObject({ fields: [{ path: "input.prompt" }] });
      refusals += 1;
    }
    expect(refusals).toBeGreaterThan(models.length);
    expect(gateway.simulator!.stats().submits).toBe(submitsBefore);
  });
});
