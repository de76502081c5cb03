import type { JwtAuthenticator } from "../../src/auth/jwt.authenticator";
import { UnauthenticatedError } from "../../src/errors/gateway-errors";

/** Expects the authenticator to refuse the token with an UnauthenticatedError, and gives back its message. */
export async function refusal(authenticator: JwtAuthenticator, token: string): Promise<string> {
  const error = await authenticator.authenticate(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as UnauthenticatedError).message;
}
