import { validate, type ValidationError } from "class-validator";
import type { ValidatorFn } from "type-graphql";
import { STRICT_FRAME_URLS, type FrameUrlPolicy } from "../domain/frame-url";
import { BadUserInputError, type FieldProblem } from "../errors/gateway-errors";
import { judgeFrameUrlsBy } from "./generation.validators";

export interface InputValidationOptions {
  /** How far from the public internet frame URLs may point (`ALLOW_PRIVATE_FRAME_URLS`). */
  framePolicy: FrameUrlPolicy;
}

/**
 * type-graphql's `validateFn`: runs the class-validator rules of an input object and answers
 * `BAD_USER_INPUT` naming each bad field by its path, never echoing the input back.
 */
export function createArgumentValidator(options: InputValidationOptions): ValidatorFn {
  return (argValue, argType, resolverData) =>
    validateWith(options.framePolicy, argValue, argType, resolverData);
}

/** The validator with the strict frame URL policy. */
export const validateArgument: ValidatorFn = (argValue, argType, resolverData) =>
  validateWith(STRICT_FRAME_URLS, argValue, argType, resolverData);

async function validateWith(
  framePolicy: FrameUrlPolicy,
  ...[argValue, , { args }]: Parameters<ValidatorFn>
): Promise<void> {
  if (argValue === null || typeof argValue !== "object" || argValue instanceof Date) return;
  judgeFrameUrlsBy(argValue, framePolicy);
  const errors = await validate(argValue as object, {
    skipMissingProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return;
  const argName = Object.keys(args).find((name) => args[name] === argValue) ?? "input";
  throw new BadUserInputError(toFieldProblems(errors, argName));
}

function toFieldProblems(errors: ValidationError[], parentPath: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...toFieldProblems(error.children ?? [], path)];
  });
}
