import { DateTimeResolver } from "graphql-scalars";
import { GraphQLObjectType, GraphQLSchema } from "graphql";
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

/** type-graphql builds the root types without a description; these are theirs. */
const ROOT_DESCRIPTIONS: Record<string, string> = {
  Query: "Reads. Every task read sees the caller's own tasks only.",
  Mutation:
    "Video generation requests. Each is checked against the model's rules before anything is sent upstream, so a refused request costs nothing.",
  Subscription:
    "Live task updates. Each event is a whole Task; compare its `version` to drop one already seen.",
};

/** The one schema builder, shared by the server, the tests and `npm run schema:emit`. */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return describeRootTypes(
    await buildSchema({
      resolvers: [GenerationResolver, TaskResolver, NodeResolver, VideoModelResolver],
      pubSub: NO_TOPIC_PUBSUB,
      scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
      validateFn: validateArgument,
    }),
  );
}

/** The same schema with described root types (nothing refers to a root type, so a copy is safe). */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const describe = (type: GraphQLObjectType | null | undefined) =>
    type &&
    new GraphQLObjectType({ ...type.toConfig(), description: ROOT_DESCRIPTIONS[type.name] });
  const roots = [config.query, config.mutation, config.subscription];
  return new GraphQLSchema({
    ...config,
    query: describe(config.query),
    mutation: describe(config.mutation),
    subscription: describe(config.subscription),
    types: config.types.filter((type) => !roots.includes(type as GraphQLObjectType)),
  });
}
