import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import { validationFailed } from "./protocol-errors";

/**
 * graphql-armor's depth, alias and directive rules. They report instead of throwing (a throw from a
 * rule escapes graphql-js `validate` and would become a 500), with the limit and the value found.
 */
export function shapeLimitRules(limits: {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}): ValidationRule[] {
  const report = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(validationFailed(error.message.replace(/^Syntax Error: /, ""))),
    ],
  };
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }),
    // __typename aliases count too: the default allow-list would let them through without bound.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...report }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report }),
  ];
}
