const KEY = "video-gateway.credential";

/**
 * The optional bearer credential, kept in this tab's sessionStorage: it survives a reload but not
 * the tab, and is never written anywhere longer-lived.
 */
export class CredentialStore {
  private listeners: Array<() => void> = [];

  get(): string | null {
    try {
      return sessionStorage.getItem(KEY) || null;
    } catch {
      return null; // storage can be disabled; then there is simply no credential
    }
  }

  set(value: string | null): void {
    try {
      if (value) sessionStorage.setItem(KEY, value);
      else sessionStorage.removeItem(KEY);
    } catch {
      // nothing to keep it in; requests go out without it
    }
    this.listeners.forEach((listener) => listener());
  }

  /** The `Authorization` value, or null without a credential. */
  authorization(): string | null {
    const credential = this.get();
    return credential ? `Bearer ${credential}` : null;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}
