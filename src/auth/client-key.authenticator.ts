import { createHash, timingSafeEqual } from "node:crypto";
import { DEV_PRINCIPAL, type Principal } from "../domain/principal";
import { UnauthenticatedError } from "../errors/gateway-errors";

/** A static client credential: `GATEWAY_API_KEYS=name:secret,...`. */
export interface ClientKey {
  name: string;
  secret: string;
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Resolves an `Authorization` value to a principal. Secrets are compared as SHA-256 digests in constant
 * time, and every configured key is compared, so timing tells nothing about which key nearly matched.
 */
export class ClientKeyAuthenticator {
  private readonly keys: Array<{ name: string; digest: Buffer }>;

  /** @param keys no keys = open dev mode: every request runs as the `dev` principal */
  constructor(keys: readonly ClientKey[]) {
    this.keys = keys.map((key) => ({ name: key.name, digest: digest(key.secret) }));
  }

  get devMode(): boolean {
    return this.keys.length === 0;
  }

  /** Throws {@link UnauthenticatedError} for a missing or unknown credential. */
  authenticate(authorization: string | undefined | null): Principal {
    if (this.devMode) return DEV_PRINCIPAL;
    const token = bearerToken(authorization);
    if (token === null) throw new UnauthenticatedError();
    const presented = digest(token);
    let match: string | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(presented, key.digest)) match = key.name;
    }
    if (match === null) throw new UnauthenticatedError("The bearer credential is not valid.");
    return { id: `key:${match}`, via: "client-key" };
  }
}

/** The token of `Bearer <token>`, or null when the header is absent or of another scheme. */
export function bearerToken(authorization: string | undefined | null): string | null {
  if (typeof authorization !== "string") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}
