import { ApiFailure, apiErrorsOf } from "./api/api-error";
import { createHttpClient } from "./api/graphql.http";
import { LiveConnection, type LiveState } from "./api/graphql.ws";
import { askForCredential, bindCredentialForm } from "./credential.form";
import { CredentialStore } from "./credential.store";
import { byId } from "./dom";
import { showErrors } from "./errors.view";
import { FieldErrorsView } from "./form/field-errors.view";
import { GenerationForm } from "./form/generation.form";
import { handleSubmits } from "./form/submit.controller";
import { VideoModelsDocument, type TaskFieldsFragment } from "./generated/graphql";
import { CurrentTaskView } from "./task/current-task.view";
import { RecentTasks } from "./task/recent-tasks";
import { RecentTasksView } from "./task/recent-tasks.view";
import { TaskWatcher } from "./task/task-watcher";

const LIVE_STATES: Record<LiveState, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  refused: "credential refused",
};

// The API sits next to the page: `/graphql` over HTTP, and over WebSocket on the same host.
const endpoint = new URL("graphql", location.href).href;
const credential = new CredentialStore();
const request = createHttpClient(endpoint, () => credential.authorization());
const liveState = byId("live-state", HTMLElement);
const live = new LiveConnection({
  url: endpoint.replace(/^http/, "ws"),
  authorization: () => credential.authorization(),
  onState: (state) => {
    liveState.textContent = LIVE_STATES[state];
    liveState.dataset.state = state;
  },
  onReconnected: () => void recent.refresh(),
});

const form = new GenerationForm(byId("generate-form", HTMLFormElement));
const formAlert = byId("form-error", HTMLElement);
const recent = new RecentTasks(
  request,
  live,
  new RecentTasksView(
    byId("recent-tasks", HTMLOListElement),
    byId("recent-empty", HTMLElement),
    (task) => showTask(task.id, task),
  ),
  byId("recent-error", HTMLElement),
);
const watcher = new TaskWatcher(live, new CurrentTaskView(), (task) => recent.upsert(task));
/** On a phone the player is below the form: bring it into view when it gets a task to show. */
const showTask = (id: string, task?: TaskFieldsFragment) => {
  watcher.watch(id, task);
  byId("current-task", HTMLElement).scrollIntoView({ block: "nearest" });
};

handleSubmits({
  form,
  request,
  fieldErrors: new FieldErrorsView(form.element),
  alert: formAlert,
  onTask: showTask,
});
bindCredentialForm(credential);
credential.onChange(() => {
  live.restart();
  void load();
});

async function load(): Promise<void> {
  try {
    const { videoModels } = await request(VideoModelsDocument, {});
    showErrors(formAlert, []);
    form.setModels(videoModels);
  } catch (error) {
    showErrors(formAlert, apiErrorsOf(error));
    if (error instanceof ApiFailure && error.has("UNAUTHENTICATED")) askForCredential();
    return;
  }
  await recent.start();
}

void load();
