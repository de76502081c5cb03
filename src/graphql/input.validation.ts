import { validate, type ValidationError } from "class-validator";
import type { GraphQLResolveInfo } from "graphql";
import type { ValidatorFn } from "type-graphql";
import { frameUrlProblem, STRICT_FRAME_URLS, type FrameUrlPolicy } from "../domain/frame-url";
import { BadUserInputError, type FieldProblem } from "../errors/gateway-errors";

export interface InputValidationOptions {
  /** How far from the public internet frame URLs may point (`ALLOW_PRIVATE_FRAME_URLS`). */
  framePolicy: FrameUrlPolicy;
  /** Hears of each refused input (for the metrics); absent, a refusal is only thrown. */
  onRefused?: (info: GraphQLResolveInfo) => void;
}

/**
 * An input class whose instances carry frame URLs in these fields (`ImageToVideoInput`). They are
 * judged here rather than by a decorator because the rule depends on configuration.
 */
interface HasFrameUrlFields {
  readonly frameUrlFields: readonly string[];
}

/**
 * type-graphql's `validateFn`: runs the class-validator rules of an input object, and judges its
 * frame URLs by `options.framePolicy`; answers `BAD_USER_INPUT` naming each bad field by its path,
 * never echoing the input back.
 */
export function createArgumentValidator(options: InputValidationOptions): ValidatorFn {
  return async (argValue, _argType, { args, info }) => {
    if (argValue === null || typeof argValue !== "object" || argValue instanceof Date) return;
    const argName = Object.keys(args).find((name) => args[name] === argValue) ?? "input";
    const errors = await validate(argValue, {
      skipMissingProperties: true,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    const problems = [
      ...toFieldProblems(errors, argName),
      ...frameUrlProblems(argValue, argName, options.framePolicy),
    ];
    if (problems.length === 0) return;
    options.onRefused?.(info);
    throw new BadUserInputError(problems);
  };
}

/** The validator with the strict frame URL policy and nothing counted (tests and tools). */
export const validateArgument: ValidatorFn = createArgumentValidator({
  framePolicy: STRICT_FRAME_URLS,
});

function toFieldProblems(errors: ValidationError[], parentPath: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...toFieldProblems(error.children ?? [], path)];
  });
}

/** Each frame URL field of `input` (null or absent ones aside) that `policy` refuses. */
function frameUrlProblems(input: object, argName: string, policy: FrameUrlPolicy): FieldProblem[] {
  const fields = (input.constructor as Partial<HasFrameUrlFields>).frameUrlFields ?? [];
  return fields.flatMap((field) => {
    const value: unknown = (input as Record<string, unknown>)[field];
    if (value === null || value === undefined) return [];
    const message = typeof value === "string" ? frameUrlProblem(value, policy) : "must be a URL";
    return message ? [{ path: `${argName}.${field}`, message }] : [];
  });
}
