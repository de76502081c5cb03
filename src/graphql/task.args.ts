import { ArgsType, Field, Int } from "type-graphql";
import { TaskStatus } from "./task.enums";
import { DEFAULT_PAGE_SIZE } from "../tasks/task.service";

@ArgsType()
export class TasksArgs {
  @Field((_type) => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: "Page size, 1..100; null means the default, 20.",
  })
  first?: number | null;

  @Field((_type) => String, { nullable: true, description: "endCursor of the previous page." })
  after?: string | null;

  @Field((_type) => [TaskStatus], { nullable: true, description: "Only tasks in these statuses." })
  status?: TaskStatus[] | null;
}
