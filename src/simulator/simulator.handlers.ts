import { isAuthorized } from "./simulator.auth";
import { errorReply, jsonReply, type SimulatorReply } from "./simulator.http";
import type { TaskBook } from "./simulator.tasks";
import { checkSubmission } from "./simulator.validation";

export interface HandlerContext {
  tasks: TaskBook;
  apiKey: string | undefined;
  /** Base URL the result files are linked under, e.g. `http://127.0.0.1:4010/files`. */
  filesUrl: string;
  /** Task ids by `Idempotency-Key`, as the upstream's opt-in idempotent submit keeps them. */
  idempotentSubmits: Map<string, string>;
}

const UNAUTHORIZED = errorReply(401, "Invalid or missing API key");

/**
 * `POST /v1/videos/generations`. `taskId` is set when a task was created. A repeated `Idempotency-Key`
 * answers with the task the first submit created, and creates nothing.
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
  const replayed = idempotencyKey && context.idempotentSubmits.get(idempotencyKey);
  if (replayed) return { reply: submitted(replayed) };
  const taskId = context.tasks.create(check.submission.prompt);
  if (idempotencyKey) context.idempotentSubmits.set(idempotencyKey, taskId);
  return { reply: submitted(taskId), taskId };
}

function submitted(taskId: string): SimulatorReply {
  return jsonReply(200, { code: 200, data: [{ status: "submitted", task_id: taskId }] });
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
