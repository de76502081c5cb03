import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { RequestErrorCode } from "../domain/error-codes";
import type { OperationLimits } from "./operation-limits";
import { withCode } from "./protocol-errors";

export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/**
 * Documents that parsed and validated, per set of limits, by text: as Apollo's document store does,
 * a text seen before is neither parsed nor validated again (10 000 watchers sending the same
 * subscription cost one parse). Bounded, oldest out first.
 */
const validDocuments = new WeakMap<OperationLimits, Map<string, DocumentNode>>();
const DOCUMENTS_KEPT = 500;

/**
 * What Apollo's request pipeline does before execution, for transports that are not Apollo:
 * parse within the token limit, validate with graphql-js's rules plus the shared limits (and no
 * introspection in production), resolve the operation, and check its cost with the variables.
 * Errors carry the codes Apollo would give them.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  limits: OperationLimits,
  request: OperationRequest,
): PreparedOperation | GraphQLError[] {
  let known = validDocuments.get(limits);
  if (!known) validDocuments.set(limits, (known = new Map()));
  let document = known.get(request.query);
  if (!document) {
    const checked = parseAndValidate(schema, limits, request.query);
    if (Array.isArray(checked)) return checked;
    document = checked;
    if (known.size >= DOCUMENTS_KEPT) known.delete(known.keys().next().value!);
    known.set(request.query, document);
  }
  const operation = getOperationAST(document, request.operationName);
  if (!operation) {
    return [
      new GraphQLError(
        request.operationName
          ? `Unknown operation named "${request.operationName}".`
          : "Must provide operation name if query contains multiple operations.",
        { extensions: { code: RequestErrorCode.OPERATION_RESOLUTION_FAILURE } },
      ),
    ];
  }
  const tooCostly = limits.costError({
    schema,
    document,
    variables: request.variables,
    operationName: request.operationName,
  });
  return tooCostly ? [tooCostly] : { document, operation };
}

function parseAndValidate(
  schema: GraphQLSchema,
  limits: OperationLimits,
  query: string,
): DocumentNode | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, limits.parseOptions);
  } catch (error) {
    if (error instanceof GraphQLError) {
      return [withCode(error, RequestErrorCode.GRAPHQL_PARSE_FAILED)];
    }
    throw error;
  }
  const rules = [
    ...specifiedRules,
    ...limits.validationRules,
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const invalid = validate(schema, document, rules);
  if (invalid.length > 0) {
    return invalid.map((error) => withCode(error, RequestErrorCode.GRAPHQL_VALIDATION_FAILED));
  }
  return document;
}
