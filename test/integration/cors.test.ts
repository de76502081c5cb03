import { postMultipart } from "../helpers/multipart-client";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

const APP = "https://app.example.com";
const WATCH = `subscription ($id: ID!) { taskUpdated(id: $id) { id status } }`;

describe("CORS_ORIGINS", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ CORS_ORIGINS: `${APP},http://localhost:5173` });
  });
  afterAll(() => gateway.stop());

  const preflight = (origin: string) =>
    fetch(gateway.url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });

  it("a listed origin passes the preflight and reads JSON answers", async () => {
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    const answer = await fetch(gateway.url, {
      method: "POST",
      headers: { origin: APP, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("another origin gets no CORS header, so a browser does not let it read the answer", async () => {
    const response = await preflight("https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("multipart subscription streams carry the header too", async () => {
    const { body } = await gateway.gql<{ generateVideoFromText: { id: string } }>(
      `mutation { generateVideoFromText(input: { prompt: "a fox" }) { id } }`,
    );
    const stream = await postMultipart(
      gateway.url,
      { query: WATCH, variables: { id: body.data!.generateVideoFromText.id } },
      { origin: APP },
    );
    expect(stream.headers.get("content-type")).toMatch(/^multipart\/mixed/);
    expect(stream.headers.get("access-control-allow-origin")).toBe(APP);
    stream.abort();
  });
});

describe("CORS_ORIGINS unset", () => {
  it("allows any origin (*)", async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { origin: "https://anywhere.example", "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await gateway.stop();
    }
  });
});
