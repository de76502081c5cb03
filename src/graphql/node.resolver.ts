import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { TaskRecord } from "../domain/task";
import type { GatewayContext } from "./context";
import { Node } from "./node.interface";

@Resolver()
export class NodeResolver {
  @Query((_returns) => Node, {
    nullable: true,
    description:
      "Refetches an object by its Node id (Relay). Null if unknown or owned by someone else, as `task(id)`.",
  })
  node(
    @Arg("id", (_type) => ID, { description: "A Node id, e.g. a task's `id`." }) id: string,
    @Ctx() { principal, services, loaders }: GatewayContext,
  ): Promise<TaskRecord | null> {
    return services.tasks.findOwned(principal, id, loaders.task);
  }
}
