import type { FieldProblem } from "../api/api-error";

/**
 * Puts each `extensions.fields` message of a BAD_USER_INPUT error next to the control it names
 * (`input.durationSeconds` goes to `[data-error-for="durationSeconds"]`) and marks that control
 * invalid for assistive technology.
 */
export class FieldErrorsView {
  constructor(private readonly form: HTMLFormElement) {}

  /** Shows what has a place on the form; returns the problems that have none. */
  show(problems: FieldProblem[]): FieldProblem[] {
    const unplaced: FieldProblem[] = [];
    const texts = new Map<HTMLElement, string[]>();
    for (const problem of problems) {
      const name = fieldName(problem.path);
      const slot = this.form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
      if (!slot) {
        unplaced.push(problem);
        continue;
      }
      texts.set(slot, [...(texts.get(slot) ?? []), problem.message]);
      this.controls(name).forEach((control) => control.setAttribute("aria-invalid", "true"));
    }
    for (const [slot, messages] of texts) {
      slot.textContent = messages.join(" ");
      slot.hidden = false;
    }
    return unplaced;
  }

  clear(): void {
    this.form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((slot) => {
      slot.textContent = "";
      slot.hidden = true;
    });
    this.form
      .querySelectorAll("[aria-invalid]")
      .forEach((control) => control.removeAttribute("aria-invalid"));
  }

  private controls(name: string): Element[] {
    return [...this.form.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
  }
}

/** `input.durationSeconds` → `durationSeconds`; `idempotencyKey` stays as it is. */
function fieldName(path: string): string {
  const parts = path.split(".");
  return parts[0] === "input" && parts.length > 1 ? parts[1] : parts[0];
}
