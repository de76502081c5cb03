import { apiErrorsOf, retryAfterSeconds } from "../api/api-error";
import type { HttpClient } from "../api/graphql.http";
import { showErrors } from "../errors.view";
import {
  GenerateVideoFromImageDocument,
  GenerateVideoFromTextDocument,
  type TaskFieldsFragment,
} from "../generated/graphql";
import type { FieldErrorsView } from "./field-errors.view";
import type { GenerationForm, GenerationRequest } from "./generation.form";
import { SubmitKeys } from "./submit-key";

/**
 * Sends the form as a generation mutation with an `idempotencyKey`, and shows what the gateway
 * refused: each field's message next to its field, every message in the form's alert.
 */
export function handleSubmits(deps: {
  form: GenerationForm;
  request: HttpClient;
  fieldErrors: FieldErrorsView;
  alert: HTMLElement;
  /** A task was created, or kept by the gateway despite an upstream fault (`extensions.taskId`). */
  onTask: (id: string, task?: TaskFieldsFragment) => void;
}): void {
  const keys = new SubmitKeys();
  const { form, fieldErrors, alert } = deps;
  form.element.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = form.read();
    const idempotencyKey = keys.keyFor(request);
    fieldErrors.clear();
    showErrors(alert, []);
    form.setBusy(true);
    submit(deps.request, request, idempotencyKey)
      .then((task) => {
        keys.succeeded();
        deps.onTask(task.id, task);
      })
      .catch((error: unknown) => {
        const errors = apiErrorsOf(error);
        showErrors(alert, errors);
        errors.forEach((problem) => fieldErrors.show(problem.extensions?.fields ?? []));
        form.element.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
        const wait = retryAfterSeconds(errors);
        if (wait !== null) form.holdFor(wait);
        const kept = errors.find((problem) => typeof problem.extensions?.taskId === "string");
        if (kept) deps.onTask(String(kept.extensions?.taskId));
      })
      .finally(() => form.setBusy(false));
  });
}

async function submit(
  request: HttpClient,
  { kind, input }: GenerationRequest,
  idempotencyKey: string,
): Promise<TaskFieldsFragment> {
  if (kind === "TEXT_TO_VIDEO") {
    const data = await request(GenerateVideoFromTextDocument, { input, idempotencyKey });
    return data.generateVideoFromText;
  }
  const data = await request(GenerateVideoFromImageDocument, { input, idempotencyKey });
  return data.generateVideoFromImage;
}
