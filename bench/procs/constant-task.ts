import fs from "node:fs";
import path from "node:path";

/** The schema the gateway serves, so each floor answers the very documents the gateway does. */
export const TYPE_DEFS = fs.readFileSync(
  path.resolve(__dirname, "../../../schema/schema.graphql"),
  "utf8",
);

/** A task as the gateway stores it after a text submit: the constant data the floors answer with. */
export const TASK = {
  id: "tsk_01JBENCH0000000000000000000",
  status: "PROCESSING",
  progress: 42,
  version: 3,
  estimatedSecondsRemaining: 11,
  createdAt: "2026-11-27T12:00:00.000Z",
  updatedAt: "2026-11-27T12:00:07.000Z",
  completedAt: null,
  request: {
    kind: "TEXT_TO_VIDEO",
    model: "KLING_V3",
    prompt: "a benchmark",
    negativePrompt: null,
    mode: "STD",
    durationSeconds: 5,
    aspectRatio: "LANDSCAPE_16_9",
    firstFrameUrl: null,
    lastFrameUrl: null,
    watermark: null,
  },
  video: null,
  error: null,
};

/** A `tasks` page of `first` constant tasks. */
export function taskPage(first: number) {
  const edges = Array.from({ length: first }, (_, i) => ({
    cursor: `cursor-${i}`,
    node: { ...TASK, id: `${TASK.id.slice(0, -4)}${String(i).padStart(4, "0")}` },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
