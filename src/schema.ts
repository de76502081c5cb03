import { DateTimeResolver } from "graphql-scalars";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { GenerationResolver } from "./generation/generation.resolver";
import { validateArgument } from "./generation/input.validation";
import { TaskEvents } from "./pubsub/task-events";
import { TaskResolver } from "./tasks/task.resolver";

/** The one schema builder, shared by the server, the tests and `npm run schema:emit`. */
export function buildGatewaySchema(events: TaskEvents = new TaskEvents()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [GenerationResolver, TaskResolver],
    pubSub: events.pubSub,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: validateArgument,
  });
}
