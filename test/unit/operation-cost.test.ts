import type { DocumentNode } from "graphql";
import { buildGatewaySchema } from "../../src/graphql/schema";
import { operationCost } from "../../src/limits/operation-cost";
import {
  GenerateVideoFromImageDocument,
  GenerateVideoFromTextDocument,
  NodeDocument,
  TaskDocument,
  TasksDocument,
  TasksUpdatedDocument,
  TaskUpdatedDocument,
  VideoModelsDocument,
} from "../generated/graphql";

/** What the README's Security section says each canonical operation costs against MAX_COST. */
describe("the canonical operations' cost", () => {
  const TEXT = { input: { prompt: "a kite" } };
  const IMAGE = { input: { prompt: "a kite", firstFrameUrl: "https://cdn.example.com/a.png" } };
  const ID = { id: "vt_1" };

  it.each<[string, number, DocumentNode, Record<string, unknown>]>([
    ["Tasks (first: 20, the default)", 640, TasksDocument, {}],
    ["Tasks (first: 100)", 3200, TasksDocument, { first: 100 }],
    ["Node", 28, NodeDocument, ID],
    ["Task", 27, TaskDocument, ID],
    ["GenerateVideoFromText", 27, GenerateVideoFromTextDocument, TEXT],
    ["GenerateVideoFromImage", 27, GenerateVideoFromImageDocument, IMAGE],
    ["TaskUpdated", 27, TaskUpdatedDocument, ID],
    ["TasksUpdated", 27, TasksUpdatedDocument, {}],
    ["VideoModels", 12, VideoModelsDocument, {}],
  ])("%s costs %i", async (_name, cost, document, variables) => {
    const schema = await buildGatewaySchema();
    expect(operationCost({ schema, document, variables })).toBe(cost);
  });
});
