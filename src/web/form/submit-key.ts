/**
 * The `idempotencyKey` of each submit, made when the button is pressed. A press that repeats a
 * submit which has not succeeded yet (a double click, a retry after an error or a dropped
 * connection) reuses its key, so the gateway makes one task of it; a new input, or a press after
 * the task was created, gets a new key.
 */
export class SubmitKeys {
  private pending: { input: string; key: string } | null = null;

  constructor(private readonly newKey: () => string = randomKey) {}

  keyFor(input: unknown): string {
    const serialized = JSON.stringify(input);
    if (this.pending?.input !== serialized) {
      this.pending = { input: serialized, key: this.newKey() };
    }
    return this.pending.key;
  }

  /** The task exists: the next press is a new request. */
  succeeded(): void {
    this.pending = null;
  }
}

/** A random UUID v4. `crypto.randomUUID` exists only on https and localhost; a LAN address is neither. */
export function randomKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
