import { isEnumType, isInputObjectType, type GraphQLSchema } from "graphql";
import { GenerationKind, VideoModel } from "../../src/domain/generation-request";
import { TASK_ERROR_CODE_DESCRIPTIONS, TaskErrorCode } from "../../src/domain/error-codes";
import { MODEL_CONSTRAINTS, type ModelConstraints } from "../../src/domain/model-constraints";
import { durationsText, either, perModel } from "../../src/graphql/constraint.descriptions";
import { buildGatewaySchema } from "../../src/graphql/schema";
import { schemaElements } from "../helpers/schema-descriptions";

const KLING = MODEL_CONSTRAINTS[VideoModel.KLING_V3];

describe("the schema documents itself", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  it("every type, field, argument, input field and enum value we define has a description", () => {
    const elements = schemaElements(schema);
    const undescribed = elements.filter((element) => !element.described);
    expect(undescribed.map((element) => element.coordinate)).toEqual([]);
  });

  it("the walker sees the root types, arguments, input fields, enum values and interfaces", () => {
    const coordinates = schemaElements(schema).map((element) => element.coordinate);
    expect(coordinates).toEqual(
      expect.arrayContaining([
        "Query",
        "Subscription.tasksUpdated(status:)",
        "TextToVideoInput.prompt",
        "TaskErrorCode.TIMED_OUT",
        "Node.id",
        "DateTime",
      ]),
    );
    expect(coordinates).not.toContain("String");
    expect(coordinates.some((coordinate) => coordinate.startsWith("__"))).toBe(false);
  });

  it("limits in descriptions are the constraint table's", () => {
    const input = schema.getType("TextToVideoInput");
    if (!isInputObjectType(input)) throw new Error("TextToVideoInput is not an input type");
    const fields = input.getFields();
    expect(fields.prompt.description).toContain(`at most ${KLING.promptMaxLength} characters`);
    expect(fields.negativePrompt.description).toContain(
      `at most ${KLING.negativePromptMaxLength} characters`,
    );
    expect(fields.durationSeconds.description).toContain(
      durationsText(GenerationKind.TEXT_TO_VIDEO),
    );
  });

  it("each TaskErrorCode value is described by the domain catalogue", () => {
    const codes = schema.getType("TaskErrorCode");
    if (!isEnumType(codes)) throw new Error("TaskErrorCode is not an enum");
    expect(
      Object.fromEntries(codes.getValues().map((value) => [value.name, value.description])),
    ).toEqual(TASK_ERROR_CODE_DESCRIPTIONS);
    expect(codes.getValues().map((value) => value.value)).toEqual(Object.values(TaskErrorCode));
  });
});

describe("constraint phrases", () => {
  it("lists values as a developer reads them", () => {
    expect([either([5]), either([5, 10]), either([5, 10, 15])]).toEqual([
      "5",
      "5 or 10",
      "5, 10 or 15",
    ]);
  });

  it("says durations per mode, or once when every mode offers the same", () => {
    expect(durationsText(GenerationKind.TEXT_TO_VIDEO)).toBe(
      "5, 10 or 15 in STD mode; 5 or 10 in PRO mode",
    );
    expect(durationsText(GenerationKind.IMAGE_TO_VIDEO)).toBe("5 or 10 in every mode");
  });

  it("names each model when the models disagree", () => {
    const other: ModelConstraints = { ...KLING, promptMaxLength: 800 };
    const table = { KLING_V3: KLING, OTHER: other } as unknown as Record<
      VideoModel,
      ModelConstraints
    >;
    expect(perModel((c) => `${c.promptMaxLength}`, table)).toBe("KLING_V3: 2500; OTHER: 800");
    expect(perModel((c) => `${c.maxFrames}`, table)).toBe("2");
  });
});
