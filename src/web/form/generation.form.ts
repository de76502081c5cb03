import { byId, h } from "../dom";
import { aspectRatioLabel } from "../format";
import type {
  AspectRatio,
  GenerationMode,
  ImageToVideoInput,
  TextToVideoInput,
  VideoModel,
} from "../generated/graphql";
import {
  durationsFor,
  modesFor,
  settle,
  type Choice,
  type GenerationKind,
  type ModelOffer,
} from "./form-options";

export type GenerationRequest =
  | { kind: "TEXT_TO_VIDEO"; input: TextToVideoInput }
  | { kind: "IMAGE_TO_VIDEO"; input: ImageToVideoInput };

const KIND_WORDS: Record<GenerationKind, string> = {
  TEXT_TO_VIDEO: "Text-to-video",
  IMAGE_TO_VIDEO: "Image-to-video",
};

/**
 * The generation form, built from what `videoModels` says: it offers only the modes, durations and
 * aspect ratios the chosen model has for the kind of request (text-to-video, or image-to-video once
 * a first frame is given), and re-settles them whenever the model, the mode or the kind changes.
 */
export class GenerationForm {
  private models: ModelOffer[] = [];
  private busy = false;
  private heldUntil = 0;
  private holdTicker: number | undefined;
  private readonly model = byId("model", HTMLSelectElement);
  private readonly prompt = byId("prompt", HTMLTextAreaElement);
  private readonly negativePrompt = byId("negativePrompt", HTMLTextAreaElement);
  private readonly firstFrame = byId("firstFrameUrl", HTMLInputElement);
  private readonly lastFrame = byId("lastFrameUrl", HTMLInputElement);
  private readonly submit = byId("submit", HTMLButtonElement);

  constructor(readonly element: HTMLFormElement) {
    this.model.addEventListener("change", () => this.settle());
    this.firstFrame.addEventListener("input", () => this.settle());
    this.element.addEventListener("change", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.name === "mode") this.settle();
    });
    this.prompt.addEventListener("input", () => this.countPrompt());
  }

  setModels(models: ModelOffer[]): void {
    this.models = models;
    const selected = this.model.value;
    this.model.replaceChildren(
      ...models.map((offer) => h("option", { value: offer.model }, offer.name)),
    );
    if (models.some((offer) => offer.model === selected)) this.model.value = selected;
    byId("model-field", HTMLElement).hidden = models.length === 0;
    this.settle();
    this.element.removeAttribute("aria-busy");
    byId("form-status", HTMLElement).hidden = true;
    this.setBusy(false);
  }

  /** While a submit is in flight the button is disabled: a second click cannot send a second one. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.renderButton();
  }

  /**
   * The gateway said when to retry (`retryAfterSeconds` of RATE_LIMITED, QUOTA_EXCEEDED,
   * UPSTREAM_UNAVAILABLE): the button counts down until then instead of inviting a refused submit.
   */
  holdFor(seconds: number): void {
    this.heldUntil = Date.now() + seconds * 1000;
    window.clearInterval(this.holdTicker);
    this.holdTicker = window.setInterval(() => this.renderButton(), 1000);
    this.renderButton();
  }

  private renderButton(): void {
    const held = Math.ceil((this.heldUntil - Date.now()) / 1000);
    if (held <= 0) window.clearInterval(this.holdTicker);
    this.submit.disabled = this.busy || held > 0 || this.models.length === 0;
    this.submit.textContent = this.busy
      ? "Submitting…"
      : held > 0
        ? `Try again in ${held} s`
        : "Generate video";
  }

  read(): GenerationRequest {
    const offer = this.offer();
    const choice = this.choice();
    const base = {
      model: offer.model as VideoModel,
      prompt: this.prompt.value,
      negativePrompt: this.negativePrompt.value || null,
      mode: choice.mode as GenerationMode,
      durationSeconds: choice.durationSeconds,
      aspectRatio: choice.aspectRatio as AspectRatio,
      watermark: null,
    };
    if (this.kind() === "TEXT_TO_VIDEO") return { kind: "TEXT_TO_VIDEO", input: base };
    return {
      kind: "IMAGE_TO_VIDEO",
      input: {
        ...base,
        firstFrameUrl: this.firstFrame.value.trim(),
        lastFrameUrl: (offer.maxFrames >= 2 && this.lastFrame.value.trim()) || null,
      },
    };
  }

  private offer(): ModelOffer {
    const offer = this.models.find((candidate) => candidate.model === this.model.value);
    if (!offer) throw new Error("no model to submit to");
    return offer;
  }

  private kind(): GenerationKind {
    return this.firstFrame.value.trim() === "" ? "TEXT_TO_VIDEO" : "IMAGE_TO_VIDEO";
  }

  private choice(): Choice {
    const data = new FormData(this.element);
    return {
      mode: String(data.get("mode") ?? ""),
      durationSeconds: Number(data.get("durationSeconds")),
      aspectRatio: String(data.get("aspectRatio") ?? ""),
    };
  }

  /** Re-renders the choices as the nearest valid combination to what was chosen. */
  private settle(): void {
    const offer = this.models.find((candidate) => candidate.model === this.model.value);
    if (!offer) return;
    const kind = this.kind();
    const choice = settle(offer, kind, this.choice());
    const servable = new Set(modesFor(offer, kind).map((mode) => mode.mode));
    this.radios(
      "mode",
      offer.modes.map((mode) => ({
        value: mode.mode,
        label: `${mode.mode} · ${mode.resolution}`,
        disabled: !servable.has(mode.mode),
      })),
      choice?.mode,
    );
    const durations = choice ? durationsFor(offer, choice.mode, kind) : [];
    this.radios(
      "durationSeconds",
      durations.map((seconds) => ({ value: String(seconds), label: `${seconds} s` })),
      choice ? String(choice.durationSeconds) : undefined,
    );
    byId("duration-hint", HTMLElement).textContent = choice
      ? `${KIND_WORDS[kind]} in ${choice.mode} mode: ${durations.join(", ")} s.`
      : `${offer.name} does not offer ${KIND_WORDS[kind].toLowerCase()}.`;
    this.radios(
      "aspectRatio",
      offer.aspectRatios.map((ratio) => ({ value: ratio, label: aspectRatioLabel(ratio) })),
      choice?.aspectRatio,
    );
    byId("aspect-hint", HTMLElement).hidden = kind === "TEXT_TO_VIDEO";
    byId("frames-field", HTMLElement).hidden = offer.maxFrames < 1;
    byId("last-frame", HTMLElement).hidden = offer.maxFrames < 2;
    this.lastFrame.disabled = kind === "TEXT_TO_VIDEO";
    this.prompt.maxLength = offer.promptMaxLength;
    this.negativePrompt.maxLength = offer.negativePromptMaxLength;
    this.countPrompt();
  }

  /**
   * Renders a radio group. When the same values are offered again only `checked` and `disabled`
   * change, so a keyboard user moving through the group keeps focus.
   */
  private radios(
    name: string,
    options: Array<{ value: string; label: string; disabled?: boolean }>,
    selected: string | undefined,
  ): void {
    const container = byId(`${name}-choices`, HTMLElement);
    const inputs = [...container.querySelectorAll<HTMLInputElement>("input[type=radio]")];
    const same =
      inputs.length === options.length &&
      inputs.every((input, index) => input.value === options[index].value);
    if (!same) {
      const hadFocus = container.contains(document.activeElement);
      container.replaceChildren(
        ...options.map((option) =>
          h(
            "label",
            { class: "choice" },
            h("input", { type: "radio", name, value: option.value }),
            h("span", {}, option.label),
          ),
        ),
      );
      inputs.splice(0, inputs.length, ...container.querySelectorAll<HTMLInputElement>("input"));
      if (hadFocus) inputs.find((input) => input.value === selected)?.focus();
    }
    inputs.forEach((input, index) => {
      input.checked = input.value === selected;
      input.disabled = options[index].disabled ?? false;
    });
  }

  private countPrompt(): void {
    const max = this.prompt.maxLength > 0 ? ` / ${this.prompt.maxLength}` : "";
    byId("prompt-count", HTMLElement).textContent =
      `${[...this.prompt.value].length}${max} characters`;
  }
}
