import { GraphQLError } from "graphql";
import { RequestErrorCode } from "../domain/error-codes";

/** A refused operation, with the code Apollo gives its own validation failures. */
export function validationFailed(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: RequestErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}

/**
 * The same error with `extensions.code` set, so graphql-js errors read on WebSocket as Apollo
 * reports them over HTTP (and the shared formatter lets them through).
 */
export function withCode(error: GraphQLError, code: RequestErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
