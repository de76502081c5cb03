/** Operations the tests send; the same shapes as schema/operations/*.graphql. */
export const TASK_FIELDS = `
  id status progress version estimatedSecondsRemaining createdAt updatedAt completedAt
  request { kind model prompt negativePrompt mode durationSeconds aspectRatio firstFrameUrl lastFrameUrl watermark }
  video { url thumbnailUrl expiresAt }
  error { code message }
`;

export const GENERATE_FROM_TEXT = `
  mutation GenerateFromText($input: TextToVideoInput!, $idempotencyKey: String) {
    generateVideoFromText(input: $input, idempotencyKey: $idempotencyKey) { ${TASK_FIELDS} }
  }`;

export const GENERATE_FROM_IMAGE = `
  mutation GenerateFromImage($input: ImageToVideoInput!, $idempotencyKey: String) {
    generateVideoFromImage(input: $input, idempotencyKey: $idempotencyKey) { ${TASK_FIELDS} }
  }`;

export const TASK = `query Task($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;

export const TASKS = `
  query Tasks($first: Int, $after: String, $status: [TaskStatus!]) {
    tasks(first: $first, after: $after, status: $status) {
      edges { cursor node { id status } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const TASK_UPDATED = `subscription TaskUpdated($id: ID!) { taskUpdated(id: $id) { ${TASK_FIELDS} } }`;

export interface TaskView {
  id: string;
  status: string;
  progress: number;
  version: number;
  estimatedSecondsRemaining: number | null;
  completedAt: string | null;
  request: Record<string, unknown>;
  video: { url: string; thumbnailUrl: string | null; expiresAt: string | null } | null;
  error: { code: string; message: string } | null;
}
