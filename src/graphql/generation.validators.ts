import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from "class-validator";
import { GenerationKind, GenerationMode, VideoModel } from "../domain/generation-request";
import {
  durationProblem,
  GENERATION_DEFAULTS,
  MODEL_CONSTRAINTS,
  type ModelConstraints,
} from "../domain/model-constraints";
import { textProblem } from "../domain/text-hygiene";

type LengthLimit = keyof Pick<ModelConstraints, "promptMaxLength" | "negativePromptMaxLength">;

interface HasModel {
  model?: VideoModel;
  mode?: GenerationMode;
}

function constraintsOf(object: object): ModelConstraints {
  return MODEL_CONSTRAINTS[(object as HasModel).model ?? GENERATION_DEFAULTS.model];
}

function decorate(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate },
    });
}

/**
 * Text a person can read: something visible besides whitespace and invisible characters, no control
 * characters but tab and newline, no lone surrogates (`textProblem`).
 */
export const IsVisibleText = (): PropertyDecorator =>
  decorate(
    "isVisibleText",
    (value) => typeof value === "string" && textProblem(value) === null,
    (args) => (typeof args.value === "string" && textProblem(args.value)) || "must be text",
  );

/** At most the model's limit for this field, counted in characters (not UTF-16 units). */
export const FitsModelLimit = (limit: LengthLimit): PropertyDecorator =>
  decorate(
    "fitsModelLimit",
    (value, args) =>
      typeof value !== "string" || [...value].length <= constraintsOf(args.object)[limit],
    (args) =>
      `must be at most ${constraintsOf(args.object)[limit]} characters (got ${[...String(args.value)].length})`,
  );

/** A duration the model offers for this kind of request in the chosen mode. */
export const IsOfferedDuration = (kind: GenerationKind): PropertyDecorator =>
  decorate(
    "isOfferedDuration",
    (value, args) => durationProblemOf(kind, value, args.object) === null,
    (args) => durationProblemOf(kind, args.value, args.object) ?? "is not offered",
  );

function durationProblemOf(kind: GenerationKind, value: unknown, object: object): string | null {
  const { model = GENERATION_DEFAULTS.model, mode = GENERATION_DEFAULTS.mode } = object as HasModel;
  return durationProblem(model, kind, mode, Number(value));
}

/** A last frame, only for a model that takes two frames (first and last). */
export const IsLastFrameAccepted = (): PropertyDecorator =>
  decorate(
    "isLastFrameAccepted",
    (_value, args) => constraintsOf(args.object).maxFrames >= 2,
    () => "this model takes a first frame only",
  );
