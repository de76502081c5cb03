import { registerEnumType } from "type-graphql";
import { TaskErrorCode } from "../domain/error-codes";
import { TaskStatus } from "../domain/task";

registerEnumType(TaskStatus, { name: "TaskStatus" });
registerEnumType(TaskErrorCode, { name: "TaskErrorCode" });

export { TaskErrorCode, TaskStatus };
