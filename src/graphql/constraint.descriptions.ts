/**
 * Phrases for schema descriptions, read from the constraint table so the documentation cannot drift
 * from the rules the validators apply.
 */
import { GenerationKind, GenerationMode, VideoModel } from "../domain/generation-request";
import { MODEL_CONSTRAINTS, type ModelConstraints } from "../domain/model-constraints";

/** `5`, `5 or 10`, `5, 10 or 15` */
export function either(values: readonly (string | number)[]): string {
  return values.length <= 1
    ? values.join("")
    : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

/** One fact of every model: said once when the models agree, else named per model. */
export function perModel(
  fact: (constraints: ModelConstraints) => string,
  table: Partial<Record<VideoModel, ModelConstraints>> = MODEL_CONSTRAINTS,
): string {
  const facts = Object.entries(table).map(([model, constraints]) => ({
    model,
    text: fact(constraints),
  }));
  return new Set(facts.map(({ text }) => text)).size === 1
    ? facts[0].text
    : facts.map(({ model, text }) => `${model}: ${text}`).join("; ");
}

/** `at most 2500 characters`, counted as the validators count them: Unicode code points. */
export const maxLengthText = (limit: "promptMaxLength" | "negativePromptMaxLength"): string =>
  perModel((constraints) => `at most ${constraints[limit]} characters (Unicode code points)`);

/** `5, 10 or 15 in STD mode; 5 or 10 in PRO mode`, or `5 or 10 in every mode` */
export const durationsText = (kind: GenerationKind): string =>
  perModel((constraints) => {
    const byMode = Object.values(GenerationMode).map((mode) => ({
      mode,
      text: either(constraints.durations[kind][mode]),
    }));
    return new Set(byMode.map(({ text }) => text)).size === 1
      ? `${byMode[0].text} in every mode`
      : byMode.map(({ mode, text }) => `${text} in ${mode} mode`).join("; ");
  });

/** `720p` */
export const resolutionText = (mode: GenerationMode): string =>
  perModel((constraints) => constraints.resolutions[mode]);
