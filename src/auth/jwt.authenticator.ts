import { createSecretKey } from "node:crypto";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Principal } from "../domain/principal";
import { IdentityProviderUnavailableError, UnauthenticatedError } from "../errors/gateway-errors";
import type { Logger } from "../observability/logger";

/** Shorter HS256 secrets can be brute-forced offline from any token they signed. */
const MIN_SECRET_LENGTH = 32;
const SECRET_ALGORITHMS = ["HS256"];
const JWKS_ALGORITHMS = ["RS256", "ES256"];
/** A key-set fetch holds up the request being authenticated; an identity provider answers far sooner. */
const JWKS_TIMEOUT_MS = 3_000;

const INVALID = "The bearer token is not valid.";
const EXPIRED = "The bearer token has expired.";

export interface JwtAuthenticatorOptions {
  /**
   * Shared secret for HS256 tokens (`GATEWAY_JWT_SECRET`), at least 32 characters. Absent: HS256
   * tokens are refused.
   */
  secret?: string;
  /**
   * URL of the identity provider's JSON Web Key Set; RS256 and ES256 tokens are verified against it.
   * Keys are cached, and the set is fetched again when a token names an unknown `kid`. Absent: RS256
   * and ES256 tokens are refused.
   */
  jwksUrl?: string;
  /** Required `iss` claim. Absent: any issuer, or none, is accepted. */
  issuer?: string;
  /**
   * Required `aud` claim (a token may list several audiences; one must match). Absent: any
   * audience, or none, is accepted.
   */
  audience?: string;
  /**
   * Allowed clock difference with the token issuer when checking `exp` and `nbf`.
   * @default 30
   */
  clockToleranceSeconds?: number;
  /**
   * Minimum time between two fetches of the key set caused by unknown `kid`s, so tokens with made-up
   * key ids cannot make the gateway hammer the identity provider.
   * @default 30
   */
  jwksCooldownSeconds?: number;
  /**
   * Receives key-set fetch failures (warn) and the reason a token was refused (debug). Tokens are never
   * logged. Absent: nothing is logged.
   */
  logger?: Logger;
}

/** Marks a failure to obtain the key set, as opposed to a token that no key in it verifies. */
class JwksUnavailableError extends Error {}

/** Resolves a verified JWT to the principal `jwt:<sub>`. */
export class JwtAuthenticator {
  private readonly key: JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly issuer?: string;
  private readonly audience?: string;
  private readonly clockTolerance: number;
  private readonly jwksUrl?: string;
  private readonly logger?: Logger;

  constructor(options: JwtAuthenticatorOptions) {
    const { secret, jwksUrl } = options;
    if (secret === undefined && jwksUrl === undefined) {
      throw new Error("JWT authentication needs GATEWAY_JWT_SECRET or a JWKS URL.");
    }
    if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`GATEWAY_JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`);
    }
    const secretKey = secret === undefined ? undefined : createSecretKey(secret, "utf8");
    const jwks =
      jwksUrl === undefined
        ? undefined
        : markFetchFailures(
            createRemoteJWKSet(new URL(jwksUrl), {
              timeoutDuration: JWKS_TIMEOUT_MS,
              cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000,
            }),
          );
    this.algorithms = [...(secretKey ? SECRET_ALGORITHMS : []), ...(jwks ? JWKS_ALGORITHMS : [])];
    // jwtVerify refuses any `alg` outside `algorithms` before asking for a key, so `alg` picks the source.
    this.key = (header, token) => {
      if (secretKey && header.alg === "HS256") return secretKey;
      if (jwks && header.alg !== "HS256") return jwks(header, token);
      throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    };
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.clockTolerance = options.clockToleranceSeconds ?? 30;
    this.jwksUrl = jwksUrl;
    this.logger = options.logger;
  }

  /** Throws {@link UnauthenticatedError} for a token that is invalid, expired or cannot be checked now. */
  async authenticate(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: this.algorithms,
        issuer: this.issuer,
        audience: this.audience,
        clockTolerance: this.clockTolerance,
        // jose checks `exp` only when present; a token without one would be valid forever.
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    if (typeof payload.sub !== "string" || payload.sub === "") {
      this.logger?.debug({ claim: "sub" }, "bearer token refused: no subject");
      throw new UnauthenticatedError(INVALID);
    }
    return { id: `jwt:${payload.sub}`, via: "jwt" };
  }

  private refusal(error: unknown): unknown {
    if (error instanceof JwksUnavailableError) {
      this.logger?.warn(
        { err: error.cause, jwksUrl: this.jwksUrl },
        "JWKS could not be fetched; bearer token refused",
      );
      return new IdentityProviderUnavailableError();
    }
    if (error instanceof errors.JWTExpired) return new UnauthenticatedError(EXPIRED);
    if (error instanceof errors.JOSEError) {
      // jose's messages name the failed check (`unexpected "iss" claim value`), never the token.
      this.logger?.debug({ code: error.code, reason: error.message }, "bearer token refused");
      return new UnauthenticatedError(INVALID);
    }
    return error;
  }
}

/**
 * Lets through the errors that mean "no key in the set fits this token" and marks every other failure
 * (network, timeout, non-200, malformed set) as the key set being unavailable.
 */
function markFetchFailures(jwks: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      throw new JwksUnavailableError("The JSON Web Key Set could not be fetched.", {
        cause: error,
      });
    }
  };
}
