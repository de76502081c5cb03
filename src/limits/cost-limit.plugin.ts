import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { OperationLimits } from "./operation-limits";

/** Refuses, over HTTP, an operation whose cost with its variables is over the shared limit (400). */
export function costLimitPlugin<TContext extends object>(
  limits: OperationLimits,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ schema, document, request, operationName }) => {
        const refusal = limits.costError({
          schema,
          document,
          variables: request.variables,
          operationName,
        });
        if (refusal) {
          throw new GraphQLError(refusal.message, {
            extensions: { ...refusal.extensions, http: { status: 400 } },
          });
        }
      },
    }),
  };
}
