import { isAuthorized } from "./simulator.auth";
import { errorReply, jsonReply, type SimulatorReply } from "./simulator.http";
import type { TaskBook } from "./simulator.tasks";
import { checkSubmission } from "./simulator.validation";

export interface HandlerContext {
  tasks: TaskBook;
  apiKey: string | undefined;
  /** Base URL the result files are linked under, e.g. `http://127.0.0.1:4010/files`. */
  filesUrl: string;
}

const UNAUTHORIZED = errorReply(401, "Invalid or missing API key");

/**
 * `POST /v1/videos/generations`. `taskId` is set when a task was created. A repeated `Idempotency-Key`
 * answers with the task the first submit created, flagged `idempotency-replayed: true`, and creates
 * nothing.
 */
export function handleSubmit(
  context: HandlerContext,
  authorization: string | undefined,
  bodyText: string,
  idempotencyKey?: string,
): { reply: SimulatorReply; taskId?: string } {
  if (!isAuthorized(authorization, context.apiKey)) return { reply: UNAUTHORIZED };
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return { reply: errorReply(400, "Invalid JSON in request body") };
  }
  const check = checkSubmission(body);
  if (!check.ok) return { reply: errorReply(400, check.message) };
  const { taskId, replayed } = context.tasks.submit(
    check.submission.prompt,
    idempotencyKey || undefined,
  );
  const data = { code: 200, data: [{ status: "submitted", task_id: taskId }] };
  if (replayed) return { reply: jsonReply(200, data, { "idempotency-replayed": "true" }) };
  return { reply: jsonReply(200, data), taskId };
}

/** `GET /v1/tasks/{taskId}`. The `language` query parameter is accepted and ignored. */
export function handleStatus(
  context: HandlerContext,
  authorization: string | undefined,
  taskId: string,
): SimulatorReply {
  if (!isAuthorized(authorization, context.apiKey)) return UNAUTHORIZED;
  const data = context.tasks.read(taskId, context.filesUrl);
  if (!data) return errorReply(400, "Invalid task ID");
  return jsonReply(200, { code: 200, data });
}
