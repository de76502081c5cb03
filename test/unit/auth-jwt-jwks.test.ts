import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";
import { JwtAuthenticator } from "../../src/auth/jwt.authenticator";
import { IdentityProviderUnavailableError } from "../../src/errors/gateway-errors";
import { createLogger } from "../../src/observability/logger";
import { refusal } from "../helpers/jwt-refusal";

interface SigningKey {
  alg: "RS256" | "ES256";
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

interface JwksServer {
  url: string;
  /** Number of key-set requests served so far. */
  fetches: number;
  publish(keys: SigningKey[]): void;
  close(): Promise<void>;
}

const servers: JwksServer[] = [];

async function signingKey(alg: SigningKey["alg"], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** Serves a key set on a free port; `publish` swaps the set as an identity provider rotating keys would. */
async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let published = keys;
  const server = http.createServer((_req, res) => {
    jwks.fetches += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: published.map((key) => key.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const jwks: JwksServer = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: 0,
    publish: (next) => (published = next),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // jose's requests use Node's keep-alive agent; drop idle sockets so the port really goes away.
        server.closeAllConnections();
      }),
  };
  servers.push(jwks);
  return jwks;
}

function sign(key: SigningKey, sub = "user-42", kid = key.kid): Promise<string> {
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: key.alg, kid })
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key.privateKey);
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe("JwtAuthenticator with a JWKS URL", () => {
  let rsa: SigningKey;
  let ec: SigningKey;

  beforeAll(async () => {
    rsa = await signingKey("RS256", "rsa-1");
    ec = await signingKey("ES256", "ec-1");
  });

  it("accepts RS256 and ES256 tokens signed by keys in the set", async () => {
    const server = await startJwksServer([rsa, ec]);
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url });
    await expect(authenticator.authenticate(await sign(rsa, "alice"))).resolves.toEqual({
      id: "jwt:alice",
      via: "jwt",
    });
    await expect(authenticator.authenticate(await sign(ec, "bob"))).resolves.toEqual({
      id: "jwt:bob",
      via: "jwt",
    });
    expect(server.fetches).toBe(1);
  });

  it("refuses a token signed by a key outside the set", async () => {
    const server = await startJwksServer([rsa]);
    const stranger = await signingKey("RS256", "rsa-1");
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url });
    expect(await refusal(authenticator, await sign(stranger))).toBe(
      "The bearer token is not valid.",
    );
  });

  it("refuses an HS256 token when only a JWKS URL is configured", async () => {
    const server = await startJwksServer([rsa]);
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url });
    const token = await new SignJWT({ sub: "user-42" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("hs256-test-secret-0123456789abcdefghij"));
    expect(await refusal(authenticator, token)).toBe("The bearer token is not valid.");
    expect(server.fetches).toBe(0);
  });

  it("accepts a token signed with a rotated-in key, fetching the new set on the unknown kid", async () => {
    const server = await startJwksServer([rsa]);
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url, jwksCooldownSeconds: 0 });
    await authenticator.authenticate(await sign(rsa));

    const rotated = await signingKey("RS256", "rsa-2");
    server.publish([rotated]);
    await expect(authenticator.authenticate(await sign(rotated, "carol"))).resolves.toEqual({
      id: "jwt:carol",
      via: "jwt",
    });
    expect(server.fetches).toBe(2);
  });

  it("does not refetch within the cooldown, so a rotated-in kid waits for it to pass", async () => {
    const server = await startJwksServer([rsa]);
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url });
    await authenticator.authenticate(await sign(rsa));

    const rotated = await signingKey("RS256", "rsa-2");
    server.publish([rotated]);
    expect(await refusal(authenticator, await sign(rotated))).toBe(
      "The bearer token is not valid.",
    );
    expect(server.fetches).toBe(1);
  });

  it("keeps verifying with cached keys while the JWKS server is down", async () => {
    const server = await startJwksServer([rsa]);
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url, jwksCooldownSeconds: 0 });
    await authenticator.authenticate(await sign(rsa));
    await server.close();
    await expect(authenticator.authenticate(await sign(rsa, "dave"))).resolves.toMatchObject({
      id: "jwt:dave",
    });
  });

  it("cannot check a token with an unknown kid while the JWKS server is down: SERVICE_UNAVAILABLE, and logs why", async () => {
    const server = await startJwksServer([rsa]);
    const lines: string[] = [];
    const logger = createLogger("debug", { write: (l: string) => lines.push(l) });
    const authenticator = new JwtAuthenticator({
      jwksUrl: server.url,
      jwksCooldownSeconds: 0,
      logger,
    });
    await authenticator.authenticate(await sign(rsa));
    await server.close();

    const token = await sign(rsa, "user-42", "rsa-unknown");
    await expect(authenticator.authenticate(token)).rejects.toBeInstanceOf(
      IdentityProviderUnavailableError,
    );
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === 40);
    // A kept-alive socket to the closed server fails with a reset; a new connection is refused.
    expect(warning).toMatchObject({
      jwksUrl: server.url,
      err: { code: expect.stringMatching(/^ECONN(REFUSED|RESET)$/) },
    });
    expect(lines.join("\n")).not.toContain(token);
  });

  it("cannot check a token when the JWKS URL cannot be reached at all: SERVICE_UNAVAILABLE", async () => {
    const server = await startJwksServer([]);
    await server.close();
    const authenticator = new JwtAuthenticator({ jwksUrl: server.url });
    await expect(authenticator.authenticate(await sign(rsa))).rejects.toMatchObject({
      extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 },
    });
  });
});
