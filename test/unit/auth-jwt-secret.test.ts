import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { JwtAuthenticator } from "../../src/auth/jwt.authenticator";
import { refusal } from "../helpers/jwt-refusal";

const SECRET = "hs256-test-secret-0123456789abcdefghij";
const OTHER_SECRET = "another-secret-0123456789abcdefghijklmn";
const now = () => Math.floor(Date.now() / 1000);
const encode = (value: string) => new TextEncoder().encode(value);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

function hs256(claims: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT({ iat: now(), exp: now() + 300, ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .sign(encode(secret));
}

describe("JwtAuthenticator with an HS256 secret", () => {
  const authenticator = new JwtAuthenticator({ secret: SECRET });

  it("accepts a valid token as the principal jwt:<sub>", async () => {
    const principal = await authenticator.authenticate(await hs256({ sub: "user-42" }));
    expect(principal).toEqual({ id: "jwt:user-42", via: "jwt" });
  });

  it("refuses an expired token and says so", async () => {
    const token = await hs256({ sub: "user-42", iat: now() - 600, exp: now() - 120 });
    expect(await refusal(authenticator, token)).toBe("The bearer token has expired.");
  });

  it("refuses a token without exp: it would never expire", async () => {
    const token = await new SignJWT({ sub: "user-42", iat: now() })
      .setProtectedHeader({ alg: "HS256" })
      .sign(encode(SECRET));
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("refuses a token whose nbf is beyond the clock skew", async () => {
    const token = await hs256({ sub: "user-42", nbf: now() + 120 });
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("accepts exp and nbf that are off by less than the 30 s clock skew", async () => {
    const expired = await hs256({ sub: "user-42", iat: now() - 600, exp: now() - 10 });
    const early = await hs256({ sub: "user-42", nbf: now() + 10 });
    await expect(authenticator.authenticate(expired)).resolves.toMatchObject({ id: "jwt:user-42" });
    await expect(authenticator.authenticate(early)).resolves.toMatchObject({ id: "jwt:user-42" });
  });

  it("applies a configured clock skew of 0", async () => {
    const strict = new JwtAuthenticator({ secret: SECRET, clockToleranceSeconds: 0 });
    const token = await hs256({ sub: "user-42", iat: now() - 600, exp: now() - 10 });
    expect(await refusal(strict, token)).toBe("The bearer token has expired.");
  });

  it("refuses a token signed with another secret", async () => {
    const token = await hs256({ sub: "user-42" }, OTHER_SECRET);
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("refuses an unsigned alg: none token", async () => {
    const token = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: "admin", exp: now() + 300 })}.`;
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("refuses an RS256 token when only a secret is configured", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ sub: "user-42" })
      .setProtectedHeader({ alg: "RS256" })
      .setExpirationTime("5m")
      .sign(privateKey);
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("refuses a token without a subject, with an empty one or with a non-string one", async () => {
    for (const sub of [undefined, "", 42]) {
      const token = await hs256({ sub } as JWTPayload);
      expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
    }
  });

  it("refuses a malformed token", async () => {
    expect(await refusal(authenticator, "abc.def.ghi")).toBe("The bearer token is not valid.");
  });
});

describe("JwtAuthenticator with issuer and audience", () => {
  const authenticator = new JwtAuthenticator({
    secret: SECRET,
    issuer: "https://id.example.com/",
    audience: "video-gateway",
  });

  it("accepts a token from the configured issuer for the configured audience", async () => {
    const token = await hs256({
      sub: "user-42",
      iss: "https://id.example.com/",
      aud: ["other-api", "video-gateway"],
    });
    await expect(authenticator.authenticate(token)).resolves.toMatchObject({ id: "jwt:user-42" });
  });

  it("refuses a token from another issuer", async () => {
    const token = await hs256({
      sub: "user-42",
      iss: "https://evil.example/",
      aud: "video-gateway",
    });
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
  });

  it("refuses a token for another audience or for none", async () => {
    const other = await hs256({ sub: "u", iss: "https://id.example.com/", aud: "other-api" });
    const none = await hs256({ sub: "u", iss: "https://id.example.com/" });
    expect(await refusal(authenticator, other)).toBe("The bearer token is not valid.");
    expect(await refusal(authenticator, none)).toBe("The bearer token is not valid.");
  });
});

describe("JwtAuthenticator configuration", () => {
  it("refuses a secret shorter than 32 characters, naming the variable but not the value", () => {
    const short = "too-short-secret-1234";
    expect(() => new JwtAuthenticator({ secret: short })).toThrow(/GATEWAY_JWT_SECRET/);
    expect(() => new JwtAuthenticator({ secret: short })).not.toThrow(short);
  });

  it("needs a secret or a JWKS URL", () => {
    expect(() => new JwtAuthenticator({})).toThrow(/GATEWAY_JWT_SECRET or a JWKS URL/);
  });
});
