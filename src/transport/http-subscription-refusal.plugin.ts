import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { RequestErrorCode } from "../domain/error-codes";

/** What a client that subscribes over plain HTTP is told: the two ways that work. */
export const SUBSCRIBE_OVER_HTTP_HINT =
  "Subscriptions need a streaming transport: a WebSocket to /graphql with the graphql-transport-ws protocol, or POST /graphql with the header 'Accept: multipart/mixed;subscriptionSpec=1.0' (Apollo's multipart HTTP protocol).";

/**
 * Apollo Server cannot run a subscription: it would execute it as a query and fail with an internal
 * error. Multipart subscriptions never reach it, so any subscription that does is refused with 400.
 */
export function httpSubscriptionRefusalPlugin<
  TContext extends object,
>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation }) => {
        if (operation?.operation !== "subscription") return;
        throw new GraphQLError(SUBSCRIBE_OVER_HTTP_HINT, {
          extensions: { code: RequestErrorCode.BAD_REQUEST, http: { status: 400 } },
        });
      },
    }),
  };
}
