import { DEV_PRINCIPAL, type Principal } from "../domain/principal";
import { UnauthenticatedError } from "../errors/gateway-errors";
import { bearerToken, ClientKeyAuthenticator, type ClientKey } from "./client-key.authenticator";
import { JwtAuthenticator, type JwtAuthenticatorOptions } from "./jwt.authenticator";

/** Three base64url segments; the signature is empty for `alg: none`, which JWT verification refuses. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export interface AuthenticatorOptions {
  /** Static client keys, compared in constant time. */
  clientKeys: readonly ClientKey[];
  /** Accept JWT bearer tokens as well. Absent: only client keys are accepted. */
  jwt?: JwtAuthenticatorOptions;
}

/**
 * Resolves an `Authorization` value to a principal: a JWT-shaped bearer goes to JWT verification when
 * JWTs are configured, anything else to the client keys. With neither configured every request runs as
 * the `dev` principal.
 */
export class Authenticator {
  private readonly clientKeys: ClientKeyAuthenticator;
  private readonly jwt: JwtAuthenticator | null;

  constructor(options: AuthenticatorOptions) {
    this.clientKeys = new ClientKeyAuthenticator(options.clientKeys);
    this.jwt = options.jwt ? new JwtAuthenticator(options.jwt) : null;
  }

  get devMode(): boolean {
    return this.clientKeys.devMode && this.jwt === null;
  }

  /** Throws {@link UnauthenticatedError} for a missing, unknown, invalid or expired credential. */
  async authenticate(authorization: string | undefined | null): Promise<Principal> {
    if (this.devMode) return DEV_PRINCIPAL;
    const token = bearerToken(authorization);
    if (token === null) throw new UnauthenticatedError();
    if (this.jwt && JWT_SHAPE.test(token)) return this.jwt.authenticate(token);
    // With JWTs only, the key authenticator is in dev mode and would let anything through.
    if (this.clientKeys.devMode)
      throw new UnauthenticatedError("The bearer credential is not valid.");
    return this.clientKeys.authenticate(authorization);
  }
}
