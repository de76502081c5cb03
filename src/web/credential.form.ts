import type { CredentialStore } from "./credential.store";
import { byId } from "./dom";

/** The credential form: "Use credential" keeps it for this tab, "Forget" drops it. */
export function bindCredentialForm(store: CredentialStore): void {
  const form = byId("credential-form", HTMLFormElement);
  const input = byId("credential", HTMLInputElement);
  const state = byId("credential-state", HTMLElement);
  const render = () => {
    state.textContent = store.get()
      ? "Using the credential you entered."
      : "No credential: fine for the built-in development mode.";
  };
  input.value = store.get() ?? "";
  render();
  store.onChange(render);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    store.set(input.value.trim() || null);
  });
  byId("credential-clear", HTMLButtonElement).addEventListener("click", () => {
    input.value = "";
    store.set(null);
  });
}

/** Brings the credential field into view, for a gateway that answered UNAUTHENTICATED. */
export function askForCredential(): void {
  const input = byId("credential", HTMLInputElement);
  input.scrollIntoView({ block: "center" });
  input.focus();
}
