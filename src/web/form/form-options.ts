/**
 * Which combinations of mode, duration and aspect ratio a model offers, read from `videoModels`.
 * Pure: no DOM, so the rules the form follows are tested without a browser.
 */

export type GenerationKind = "TEXT_TO_VIDEO" | "IMAGE_TO_VIDEO";

/** The parts of `ModeCapabilities` the form reads. */
export interface ModeOffer {
  mode: string;
  resolution: string;
  textToVideoDurations: readonly number[];
  imageToVideoDurations: readonly number[];
}

/** The parts of `VideoModelCapabilities` the form reads. */
export interface ModelOffer {
  model: string;
  name: string;
  aspectRatios: readonly string[];
  promptMaxLength: number;
  negativePromptMaxLength: number;
  /** Frames an image-to-video request may give: 0 none, 1 a first frame, 2 first and last. */
  maxFrames: number;
  modes: readonly ModeOffer[];
}

export interface Choice {
  mode: string;
  durationSeconds: number;
  aspectRatio: string;
}

/** Durations the model offers for this kind in this mode (none for a mode it does not have). */
export function durationsFor(model: ModelOffer, mode: string, kind: GenerationKind): number[] {
  const offer = model.modes.find((candidate) => candidate.mode === mode);
  if (!offer) return [];
  return [...(kind === "TEXT_TO_VIDEO" ? offer.textToVideoDurations : offer.imageToVideoDurations)];
}

/** Modes that offer at least one duration for this kind. */
export function modesFor(model: ModelOffer, kind: GenerationKind): ModeOffer[] {
  return model.modes.filter((offer) => durationsFor(model, offer.mode, kind).length > 0);
}

/**
 * The nearest valid choice to `wanted`: the same mode if it serves this kind (else the first that
 * does), the same duration if that mode offers it (else the closest shorter one, else the closest),
 * the same aspect ratio if offered. Null when the model offers nothing for this kind.
 */
export function settle(
  model: ModelOffer,
  kind: GenerationKind,
  wanted: Partial<Choice>,
): Choice | null {
  const modes = modesFor(model, kind);
  const mode = modes.find((offer) => offer.mode === wanted.mode) ?? modes[0];
  if (!mode) return null;
  const durations = durationsFor(model, mode.mode, kind);
  const aspectRatio =
    wanted.aspectRatio !== undefined && model.aspectRatios.includes(wanted.aspectRatio)
      ? wanted.aspectRatio
      : model.aspectRatios[0];
  return {
    mode: mode.mode,
    durationSeconds: closest(durations, wanted.durationSeconds ?? durations[0]),
    aspectRatio,
  };
}

function closest(offered: number[], wanted: number): number {
  if (offered.includes(wanted)) return wanted;
  const shorter = offered.filter((seconds) => seconds < wanted);
  if (shorter.length > 0) return Math.max(...shorter);
  return Math.min(...offered);
}
