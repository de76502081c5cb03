import type { ApiError } from "./api/api-error";
import { h } from "./dom";

/** Shows errors in an alert region, each message as the gateway worded it, with its code. */
export function showErrors(region: HTMLElement, errors: ApiError[]): void {
  region.replaceChildren(
    ...errors.map((error) =>
      h(
        "p",
        {},
        error.message,
        error.extensions?.code ? h("code", { class: "code" }, error.extensions.code) : null,
      ),
    ),
  );
  region.hidden = errors.length === 0;
}
