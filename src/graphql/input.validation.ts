import { validate, type ValidationError } from "class-validator";
import type { GraphQLResolveInfo } from "graphql";
import type { ValidatorFn } from "type-graphql";
import { STRICT_FRAME_URLS, type FrameUrlPolicy } from "../domain/frame-url";
import { BadUserInputError, type FieldProblem } from "../errors/gateway-errors";
import { judgeFrameUrlsBy } from "./generation.validators";

export interface InputValidationOptions {
  /** How far from the public internet frame URLs may point (`ALLOW_PRIVATE_FRAME_URLS`). */
  framePolicy: FrameUrlPolicy;
  /** Hears of each refused input (for the metrics). @default nothing */
  onRefused?: (info: GraphQLResolveInfo) => void;
}

/**
 * type-graphql's `validateFn`: runs the class-validator rules of an input object and answers
 * `BAD_USER_INPUT` naming each bad field by its path, never echoing the input back.
 */
export function createArgumentValidator(options: InputValidationOptions): ValidatorFn {
  return (argValue, argType, resolverData) =>
    validateWith(options, argValue, argType, resolverData);
}

/** The validator with the strict frame URL policy and nothing counted. */
export const validateArgument: ValidatorFn = createArgumentValidator({
  framePolicy: STRICT_FRAME_URLS,
});

async function validateWith(
  options: InputValidationOptions,
  ...[argValue, , { args, info }]: Parameters<ValidatorFn>
): Promise<void> {
  if (argValue === null || typeof argValue !== "object" || argValue instanceof Date) return;
  judgeFrameUrlsBy(argValue, options.framePolicy);
  const errors = await validate(argValue as object, {
    skipMissingProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return;
  const argName = Object.keys(args).find((name) => args[name] === argValue) ?? "input";
  options.onRefused?.(info);
  throw new BadUserInputError(toFieldProblems(errors, argName));
}

function toFieldProblems(errors: ValidationError[], parentPath: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...toFieldProblems(error.children ?? [], path)];
  });
}
