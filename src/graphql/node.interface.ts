import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType({
  // Tasks are the only nodes so far, and resolvers hand out plain task records, not class instances.
  resolveType: () => "Task",
})
export abstract class Node {
  @Field((_type) => ID)
  id!: string;
}
