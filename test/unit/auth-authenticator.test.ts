import { inspect } from "node:util";
import { SignJWT } from "jose";
import { Authenticator } from "../../src/auth/authenticator";
import { DEV_PRINCIPAL } from "../../src/domain/principal";
import { UnauthenticatedError } from "../../src/errors/gateway-errors";

const CLIENT_SECRET = "ck-live-7a6b5c4d3e2f1a0b9c8d";
const JWT_SECRET = "hs256-test-secret-0123456789abcdefghij";
const clientKeys = [{ name: "web-app", secret: CLIENT_SECRET }];

function hs256(sub: string, options: { secret?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "5m")
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

async function refusal(authenticator: Authenticator, authorization?: string) {
  const error = await authenticator.authenticate(authorization).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

/** Every way an error can be printed or shipped somewhere. */
const serialize = (error: Error) =>
  [error.message, error.stack, JSON.stringify(error), inspect(error, { showHidden: true })].join();

describe("Authenticator", () => {
  it("runs every request as the dev principal when neither client keys nor JWT are configured", async () => {
    const authenticator = new Authenticator({ clientKeys: [] });
    expect(authenticator.devMode).toBe(true);
    await expect(authenticator.authenticate(undefined)).resolves.toBe(DEV_PRINCIPAL);
  });

  it("is not in dev mode when only JWT is configured, and refuses a non-JWT bearer", async () => {
    const authenticator = new Authenticator({ clientKeys: [], jwt: { secret: JWT_SECRET } });
    expect(authenticator.devMode).toBe(false);
    expect((await refusal(authenticator, "Bearer anything")).message).toBe(
      "The bearer credential is not valid.",
    );
  });

  it("accepts a configured client key", async () => {
    const authenticator = new Authenticator({ clientKeys, jwt: { secret: JWT_SECRET } });
    await expect(authenticator.authenticate(`Bearer ${CLIENT_SECRET}`)).resolves.toEqual({
      id: "key:web-app",
      via: "client-key",
    });
  });

  it("refuses a wrong client key, a missing header and another scheme", async () => {
    const authenticator = new Authenticator({ clientKeys });
    await refusal(authenticator, "Bearer ck-live-wrong");
    await refusal(authenticator, undefined);
    await refusal(authenticator, `Basic ${CLIENT_SECRET}`);
  });

  it("routes a JWT-shaped bearer to JWT verification", async () => {
    const authenticator = new Authenticator({ clientKeys, jwt: { secret: JWT_SECRET } });
    await expect(authenticator.authenticate(`Bearer ${await hs256("alice")}`)).resolves.toEqual({
      id: "jwt:alice",
      via: "jwt",
    });
    const expired = await hs256("alice", { expiresIn: Math.floor(Date.now() / 1000) - 120 });
    expect((await refusal(authenticator, `Bearer ${expired}`)).message).toBe(
      "The bearer token has expired.",
    );
  });

  it("treats a JWT as an unknown client key when JWT is not configured", async () => {
    const authenticator = new Authenticator({ clientKeys });
    expect((await refusal(authenticator, `Bearer ${await hs256("alice")}`)).message).toBe(
      "The bearer credential is not valid.",
    );
  });

  it("never puts a presented token or a configured secret in an error", async () => {
    const authenticator = new Authenticator({ clientKeys, jwt: { secret: JWT_SECRET } });
    const forged = await hs256("alice", { secret: "attacker-secret-0123456789abcdefghij" });
    const expired = await hs256("alice", { expiresIn: Math.floor(Date.now() / 1000) - 120 });
    const presented = [forged, expired, "ck-live-wrong-guess", `${CLIENT_SECRET}x`];
    const errors = await Promise.all(
      presented.map((token) => refusal(authenticator, `Bearer ${token}`)),
    );
    const printed = errors.map(serialize).join("\n");
    for (const secret of [...presented, CLIENT_SECRET, JWT_SECRET]) {
      expect(printed).not.toContain(secret);
    }

    const shortSecret = "short-jwt-secret";
    let configError: unknown;
    try {
      new Authenticator({ clientKeys, jwt: { secret: shortSecret } });
    } catch (error) {
      configError = error;
    }
    expect(configError).toBeInstanceOf(Error);
    expect(serialize(configError as Error)).not.toContain(shortSecret);
  });
});
