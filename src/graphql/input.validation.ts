import { validate, type ValidationError } from "class-validator";
import type { GraphQLResolveInfo } from "graphql";
import type { ValidatorFn } from "type-graphql";
import { BadUserInputError, type FieldProblem } from "../errors/gateway-errors";

/**
 * type-graphql's `validateFn`: runs the class-validator rules of an input object and answers
 * `BAD_USER_INPUT` naming each bad field by its path, never echoing the input back. `onRefused`
 * hears of each refusal (for the metrics).
 */
export const createArgumentValidator =
  (onRefused: (info: GraphQLResolveInfo) => void = () => undefined): ValidatorFn =>
  async (argValue, _argType, { args, info }) => {
    if (argValue === null || typeof argValue !== "object" || argValue instanceof Date) return;
    const errors = await validate(argValue as object, {
      skipMissingProperties: true,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    if (errors.length === 0) return;
    const argName = Object.keys(args).find((name) => args[name] === argValue) ?? "input";
    onRefused(info);
    throw new BadUserInputError(toFieldProblems(errors, argName));
  };

function toFieldProblems(errors: ValidationError[], parentPath: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...toFieldProblems(error.children ?? [], path)];
  });
}

/** The validator with nobody listening for refusals. */
export const validateArgument = createArgumentValidator();
