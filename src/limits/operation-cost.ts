import {
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { validationFailed } from "./protocol-errors";

export interface CostedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * The cost of the operation with its variables (so `tasks(first: $n)` costs what `$n` asks for):
 * a field's own `complexity` where it declares one, else 1 plus its children. Throws past
 * graphql-query-complexity's node budget (fragments spread many times over).
 */
export function operationCost(operation: CostedOperation): number {
  return getComplexity({
    schema: operation.schema,
    query: operation.document,
    variables: operation.variables ?? {},
    operationName: operation.operationName ?? undefined,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** The refusal for an operation that costs more than `maxCost`, else null. */
export function costLimitError(operation: CostedOperation, maxCost: number): GraphQLError | null {
  const definition = getOperationAST(operation.document, operation.operationName);
  if (!definition) return null; // each transport reports an unknown operation its own way
  const { errors } = getVariableValues(
    operation.schema,
    definition.variableDefinitions ?? [],
    operation.variables ?? {},
  );
  if (errors) return null; // execution refuses these variables, with BAD_USER_INPUT on HTTP
  let cost: number;
  try {
    cost = operationCost(operation);
  } catch (error) {
    return validationFailed(`Query cost could not be bounded: ${(error as Error).message}`);
  }
  return cost > maxCost
    ? validationFailed(`Query cost limit of ${maxCost} exceeded, found ${cost}.`)
    : null;
}
