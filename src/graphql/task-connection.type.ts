import { Field, ObjectType } from "type-graphql";
import { Task } from "./task.type";

@ObjectType()
export class PageInfo {
  @Field((_type) => Boolean)
  hasNextPage!: boolean;

  @Field((_type) => Boolean)
  hasPreviousPage!: boolean;

  @Field((_type) => String, { nullable: true })
  startCursor!: string | null;

  @Field((_type) => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class TaskEdge {
  @Field((_type) => String)
  cursor!: string;

  @Field((_type) => Task)
  node!: Task;
}

@ObjectType({ description: "Relay-style page of the caller's tasks, newest first." })
export class TaskConnection {
  @Field((_type) => [TaskEdge])
  edges!: TaskEdge[];

  @Field((_type) => PageInfo)
  pageInfo!: PageInfo;
}
