import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { TaskRecord } from "../domain/task";
import type { GatewayContext } from "./context";
import { Node } from "./node.interface";

@Resolver()
export class NodeResolver {
  @Query((_returns) => Node, { nullable: true })
  node(
    @Arg("id", (_type) => ID) id: string,
    @Ctx() { principal, services, loaders }: GatewayContext,
  ): Promise<TaskRecord | null> {
    return services.tasks.findOwned(principal, id, loaders.task);
  }
}
