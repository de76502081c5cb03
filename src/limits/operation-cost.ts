import {
  getOperationAST,
  getVariableValues,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
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

/** Costs kept per operation of a document: one per distinct value of the variables that price it. */
const COSTS_PER_OPERATION = 64;

interface OperationCosts {
  /** The variables the cost depends on: those in a priced field's arguments or in `@skip`/`@include`. */
  pricing: string[];
  byValues: Map<string, number>;
}

/**
 * The refusal for an operation that costs more than `maxCost` with its variables, else null.
 * Costs are remembered per document (Apollo and the WebSocket transport reuse a parsed document for
 * the same text) and operation, keyed by the values of the variables that can change the cost, so
 * `task(id: $id)` is priced once whatever the id and `tasks(first: $n)` once per `$n`.
 */
export function createCostLimit(
  maxCost: number,
): (operation: CostedOperation) => GraphQLError | null {
  const documents = new WeakMap<DocumentNode, Map<string, OperationCosts>>();
  const invalidVariables = (operation: CostedOperation): boolean => {
    const definition = getOperationAST(operation.document, operation.operationName);
    return (
      getVariableValues(
        operation.schema,
        definition?.variableDefinitions ?? [],
        operation.variables ?? {},
      ).errors !== undefined
    );
  };
  return (operation) => {
    if (!getOperationAST(operation.document, operation.operationName)) return null; // each transport reports an unknown operation its own way
    let operations = documents.get(operation.document);
    if (!operations) documents.set(operation.document, (operations = new Map()));
    const name = operation.operationName ?? "";
    let costs = operations.get(name);
    if (!costs) {
      costs = {
        pricing: pricingVariables(operation.schema, operation.document),
        byValues: new Map(),
      };
      operations.set(name, costs);
    }
    const variables = operation.variables ?? {};
    const key = costs.pricing
      .map((v) => (v in variables ? JSON.stringify(variables[v]) : ""))
      .join(",");
    let cost = costs.byValues.get(key);
    if (cost === undefined) {
      if (invalidVariables(operation)) return null; // execution refuses these, with BAD_USER_INPUT
      try {
        cost = operationCost(operation);
      } catch (error) {
        return validationFailed(`Query cost could not be bounded: ${(error as Error).message}`);
      }
      if (costs.byValues.size >= COSTS_PER_OPERATION)
        costs.byValues.delete(costs.byValues.keys().next().value!);
      costs.byValues.set(key, cost);
    }
    if (cost <= maxCost) return null;
    // Variables that do not coerce are execution's to refuse, as they are on a first sight.
    if (invalidVariables(operation)) return null;
    return validationFailed(`Query cost limit of ${maxCost} exceeded, found ${cost}.`);
  };
}

/** Names of the variables that can change the operation's cost, sorted. */
function pricingVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (args: readonly ArgumentNode[] | undefined) =>
    args?.forEach((arg) => visit(arg, { Variable: (node) => void names.add(node.name.value) }));
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: (node) => {
        if (typeof typeInfo.getFieldDef()?.extensions?.complexity === "function")
          collect(node.arguments);
      },
      Directive: (node) => {
        if (node.name.value === "skip" || node.name.value === "include") collect(node.arguments);
      },
    }),
  );
  return [...names].sort();
}
