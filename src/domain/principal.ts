/** Who is calling. Every task belongs to exactly one principal id. */
export interface Principal {
  /** Stable id, e.g. `key:web-app`, `dev` or `jwt:<sub>`. */
  id: string;
  /** How the caller proved who it is. */
  via: "client-key" | "dev" | "jwt";
}

export const DEV_PRINCIPAL: Principal = { id: "dev", via: "dev" };
