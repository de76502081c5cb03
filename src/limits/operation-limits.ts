import type { GraphQLError, ParseOptions, ValidationRule } from "graphql";
import { createCostLimit, type CostedOperation } from "./operation-cost";
import { shapeLimitRules } from "./shape-limit-rules";

/** Limits on the operations clients send; one set for HTTP and WebSocket alike. */
export interface OperationLimitsOptions {
  /** Most lexical tokens in a document; the parser stops past it (`MAX_TOKENS`). */
  maxTokens: number;
  /** Deepest field nesting in an operation; fragments do not add a level (`MAX_DEPTH`). */
  maxDepth: number;
  /** Most aliases in an operation, fragments included (`MAX_ALIASES`). */
  maxAliases: number;
  /** Most directives in an operation, fragments included (`MAX_DIRECTIVES`). */
  maxDirectives: number;
  /**
   * Highest cost of an operation with its variables: 1 per field; a `tasks` page is its node cost
   * times `first` (`MAX_COST`).
   */
  maxCost: number;
  /** Production: introspection is refused (the error formatter hides "Did you mean" hints). */
  production: boolean;
}

/** What each transport applies: the same parser options, rules and cost check. */
export interface OperationLimits {
  /** For graphql-js `parse` (Apollo's `parseOptions`). */
  readonly parseOptions: ParseOptions;
  /** Run after graphql-js `specifiedRules`. */
  readonly validationRules: ValidationRule[];
  /** False in production, on both transports. */
  readonly introspection: boolean;
  /** The refusal for an operation that costs more than `maxCost` with these variables, else null. */
  costError(operation: CostedOperation): GraphQLError | null;
}

/** Builds the one set of limits that Apollo (HTTP) and graphql-ws (WebSocket) both apply. */
export function createOperationLimits(options: OperationLimitsOptions): OperationLimits {
  const costError = createCostLimit(options.maxCost);
  return {
    parseOptions: { maxTokens: options.maxTokens },
    validationRules: shapeLimitRules(options),
    introspection: !options.production,
    costError,
  };
}
