import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType({
  description:
    "An object that `node(id)` refetches by its globally unique id (Relay). Task is the only one so far.",
  // Tasks are the only nodes so far, and resolvers hand out plain task records, not class instances.
  resolveType: () => "Task",
})
export abstract class Node {
  @Field((_type) => ID, { description: "Globally unique and stable; pass it to `node(id)`." })
  id!: string;
}
