import { DateTimeResolver } from "graphql-scalars";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { GenerationResolver } from "./generation.resolver";
import { NO_METRICS, type GatewayMetrics } from "../ports/metrics";
import { createArgumentValidator } from "./input.validation";
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

export interface GatewaySchemaOptions {
  /**
   * Counts mutations (submits) refused by the input rules before they reach a service.
   * @default NO_METRICS
   */
  metrics?: GatewayMetrics;
}

/** The one schema builder, shared by the server, the tests and `npm run schema:emit`. */
export function buildGatewaySchema(options: GatewaySchemaOptions = {}): Promise<GraphQLSchema> {
  const metrics = options.metrics ?? NO_METRICS;
  const validateArgument = createArgumentValidator((info) => {
    if (info.operation.operation === "mutation") metrics.submit("refused", "bad_input");
  });
  return buildSchema({
    resolvers: [GenerationResolver, TaskResolver],
    pubSub: NO_TOPIC_PUBSUB,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: validateArgument,
  });
}
