import { ArgsType, Field, Int } from "type-graphql";
import { TaskStatus } from "./task.model";

@ArgsType()
export class TasksArgs {
  @Field((_type) => Int, { defaultValue: 20, description: "Page size, 1..100." })
  first!: number;

  @Field((_type) => String, { nullable: true, description: "endCursor of the previous page." })
  after?: string | null;

  @Field((_type) => [TaskStatus], { nullable: true, description: "Only tasks in these statuses." })
  status?: TaskStatus[] | null;
}
