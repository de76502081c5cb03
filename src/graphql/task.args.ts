import { ArgsType, Field, Int } from "type-graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../tasks/task.service";
import { TaskStatus } from "./task.enums";

@ArgsType()
export class TasksArgs {
  @Field((_type) => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size, 1..${MAX_PAGE_SIZE}; null means the default, ${DEFAULT_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field((_type) => String, {
    nullable: true,
    description:
      "The previous page's `endCursor`, to read the page after it; null or absent for the first page. A cursor this API did not return is BAD_USER_INPUT.",
  })
  after?: string | null;

  @Field((_type) => [TaskStatus], {
    nullable: true,
    description: "Only tasks in one of these statuses; null or empty: every status.",
  })
  status?: TaskStatus[] | null;
}
