import { DateTimeResolver } from "graphql-scalars";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { GenerationResolver } from "./generation.resolver";
import { STRICT_FRAME_URLS } from "../domain/frame-url";
import { createArgumentValidator, type InputValidationOptions } from "./input.validation";
import { TaskResolver } from "./task.resolver";

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

/**
 * The one schema builder, shared by the server, the tests and `npm run schema:emit`. Validation
 * options change what inputs pass, never the schema.
 */
export function buildGatewaySchema(
  validation: InputValidationOptions = { framePolicy: STRICT_FRAME_URLS },
): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [GenerationResolver, TaskResolver],
    pubSub: NO_TOPIC_PUBSUB,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: createArgumentValidator(validation),
  });
}
