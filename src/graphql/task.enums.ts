import { registerEnumType } from "type-graphql";
import { TASK_ERROR_CODE_DESCRIPTIONS, TaskErrorCode } from "../domain/error-codes";
import { TaskStatus } from "../domain/task";
import { describedValues } from "./described-values";

registerEnumType(TaskStatus, {
  name: "TaskStatus",
  description:
    "Where a task is in its life. QUEUED and PROCESSING are active; SUCCEEDED, FAILED and CANCELLED are final: a final task never changes again.",
  valuesConfig: describedValues(TaskStatus, {
    [TaskStatus.QUEUED]: "Accepted, waiting for the upstream to start on it.",
    [TaskStatus.PROCESSING]:
      "Being generated; `progress` and `estimatedSecondsRemaining` move as it goes.",
    [TaskStatus.SUCCEEDED]: "Final: the video is ready in `video`.",
    [TaskStatus.FAILED]: "Final: no video; `error` says why.",
    [TaskStatus.CANCELLED]:
      "Final: the upstream cancelled the job (the gateway itself never cancels a task).",
  }),
});

registerEnumType(TaskErrorCode, {
  name: "TaskErrorCode",
  description:
    "Why a task ended FAILED. Codes may be added: treat one your app does not know like GENERATION_FAILED.",
  valuesConfig: describedValues(TaskErrorCode, TASK_ERROR_CODE_DESCRIPTIONS),
});

export { TaskErrorCode, TaskStatus };
