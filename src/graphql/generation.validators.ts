import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from "class-validator";
import { GenerationKind, GenerationMode, VideoModel } from "../domain/generation-request";
import {
  durationProblem,
  MODEL_CONSTRAINTS,
  type ModelConstraints,
} from "../domain/model-constraints";

type LengthLimit = keyof Pick<ModelConstraints, "promptMaxLength" | "negativePromptMaxLength">;

interface HasModel {
  model?: VideoModel;
  mode?: GenerationMode;
}

function constraintsOf(object: object): ModelConstraints {
  return MODEL_CONSTRAINTS[(object as HasModel).model ?? VideoModel.KLING_V3];
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

/** A string with at least one non-whitespace character. */
export const IsNotBlank = (): PropertyDecorator =>
  decorate(
    "isNotBlank",
    (value) => typeof value === "string" && value.trim().length > 0,
    () => "must not be blank",
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
  const { model = VideoModel.KLING_V3, mode = GenerationMode.STD } = object as HasModel;
  return durationProblem(model, kind, mode, Number(value));
}

/** A last frame, only for a model that takes two frames (first and last). */
export const IsLastFrameAccepted = (): PropertyDecorator =>
  decorate(
    "isLastFrameAccepted",
    (_value, args) => constraintsOf(args.object).maxFrames >= 2,
    () => "this model takes a first frame only",
  );

/** Longest frame URL accepted, in characters. */
export const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL with a host, as the upstream must be able to fetch it. */
export const IsAbsoluteHttpUrl = (): PropertyDecorator =>
  decorate(
    "isAbsoluteHttpUrl",
    (value) => typeof value === "string" && isAbsoluteHttpUrl(value),
    () => `must be an absolute http:// or https:// URL of at most ${MAX_URL_LENGTH} characters`,
  );

function isAbsoluteHttpUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
