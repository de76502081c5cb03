import { Field, ObjectType } from "type-graphql";
import { Task } from "./task.type";

// `simpleResolvers`: these types are plain data, read by graphql-js's default resolver. The schema
// has no type-graphql middleware or auth checker, so its per-field wrapper only cost time per field.
@ObjectType({
  simpleResolvers: true,
  description:
    "Where a page sits in the list (Relay). Pages go forward only: while `hasNextPage`, pass `endCursor` as `after` to read the next one.",
})
export class PageInfo {
  @Field((_type) => Boolean, { description: "True when older tasks follow this page." })
  hasNextPage!: boolean;

  @Field((_type) => Boolean, {
    description:
      "True when newer tasks come before this page: it was read with `after` and is not the first page (the tasks before it are on earlier pages, or were created since). Always false without `after`. To go back, keep the pages already read, or start again without `after`.",
  })
  hasPreviousPage!: boolean;

  @Field((_type) => String, {
    nullable: true,
    description: "The first edge's cursor; null when the page is empty.",
  })
  startCursor!: string | null;

  @Field((_type) => String, {
    nullable: true,
    description:
      "The last edge's cursor, the `after` of the next page; null when the page is empty.",
  })
  endCursor!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One task in a page, with its position.",
})
export class TaskEdge {
  @Field((_type) => String, {
    description: "Opaque position of this task; pass it as `after` to read the tasks after it.",
  })
  cursor!: string;

  @Field((_type) => Task, { description: "The task." })
  node!: Task;
}

@ObjectType({
  simpleResolvers: true,
  description: "Relay-style page of the caller's tasks, newest first.",
})
export class TaskConnection {
  @Field((_type) => [TaskEdge], {
    description: "This page's tasks, newest first; empty when none match.",
  })
  edges!: TaskEdge[];

  @Field((_type) => PageInfo, { description: "Where this page sits, and the cursor to go on." })
  pageInfo!: PageInfo;
}
