import { createHash } from "node:crypto";
import { postMultipart } from "../helpers/multipart-client";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const persisted = (query: string) => ({
  persistedQuery: { version: 1, sha256Hash: sha256(query) },
});

/** What the README promises of Apollo Server's automatic persisted queries (APQ), on by default. */
describe("automatic persisted queries", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.stop());

  const post = async (body: unknown) => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: Array<{ extensions: { code: string } }>;
    };
  };

  it("an unknown hash is PERSISTED_QUERY_NOT_FOUND; after one request with query and hash the hash alone runs, over POST and GET", async () => {
    const query = "{ tasks(first: 1) { pageInfo { hasNextPage } } }";
    expect((await post({ extensions: persisted(query) })).errors?.[0].extensions.code).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
    const data = { tasks: { pageInfo: { hasNextPage: false } } };
    expect(await post({ query, extensions: persisted(query) })).toEqual({ data });
    expect(await post({ extensions: persisted(query) })).toEqual({ data });
    const url = `${gateway.url}?extensions=${encodeURIComponent(JSON.stringify(persisted(query)))}`;
    const viaGet = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(await viaGet.json()).toEqual({ data });
  });

  it("a subscription's hash is never registered: the hash alone is PERSISTED_QUERY_NOT_FOUND, so the client sends the query", async () => {
    const query = `subscription { taskUpdated(id: "vt_unknown") { id } }`;
    const full = await postMultipart(gateway.url, { query, extensions: persisted(query) });
    await full.ended;
    expect(full.parts).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: "NOT_FOUND" } })] },
    ]);
    const hashOnly = await postMultipart(gateway.url, { extensions: persisted(query) });
    await hashOnly.ended;
    expect(hashOnly.parts).toEqual([
      {
        errors: [
          expect.objectContaining({
            extensions: expect.objectContaining({ code: "PERSISTED_QUERY_NOT_FOUND" }),
          }),
        ],
      },
    ]);
  });
});
