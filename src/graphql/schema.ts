import { DateTimeResolver } from "graphql-scalars";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { GenerationResolver } from "./generation.resolver";
import { validateArgument } from "./input.validation";
import { NodeResolver } from "./node.resolver";
import { TaskResolver } from "./task.resolver";
import { VideoModelResolver } from "./video-model.resolver";

/**
 * type-graphql insists on a PubSub, which it uses only for `@Subscription({ topics })`. Every
 * subscription here has its own `subscribe` over the TaskEventBus port, so this one is never called.
 */
const NO_TOPIC_PUBSUB = {
  publish: () => {
    throw new Error("subscriptions publish through the TaskEventBus");
  },
  subscribe: () => {
    throw new Error("subscriptions subscribe through the TaskEventBus");
  },
};

/** The one schema builder, shared by the server, the tests and `npm run schema:emit`. */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [GenerationResolver, TaskResolver, NodeResolver, VideoModelResolver],
    pubSub: NO_TOPIC_PUBSUB,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: validateArgument,
  });
}
