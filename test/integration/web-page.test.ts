import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createWebPageRouter } from "../../src/transport/web-page";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

/** A plain GET: fetch adds `cache-control: no-cache` to conditional requests and forbids `host`. */
function get(url: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        response.resume();
        resolve(response);
      })
      .on("error", reject);
  });
}

describe("the demo page over HTTP", () => {
  let gateway: TestGateway;
  let origin: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    origin = new URL(gateway.url).origin;
  });
  afterAll(() => gateway.stop());

  it("serves the page at / with a policy that allows only its own origin for code and API calls", async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const host = new URL(origin).host;
    expect(response.headers.get("content-security-policy")).toBe(
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' ws://${host} wss://${host}`,
        "img-src * data:",
        "media-src *",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    const html = await response.text();
    expect(html).toMatch(/<script type="module" src="assets\/main-[A-Z0-9]+\.js"><\/script>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from another origin
  });

  it("answers a repeated load with 304 when the page has not changed", async () => {
    const first = await fetch(`${origin}/`);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await get(`${origin}/`, { "if-none-match": etag! });
    expect(again.statusCode).toBe(304);
  });

  it("serves hashed assets with their content type, cached for a year", async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const [script] = html.match(/assets\/main-[A-Z0-9]+\.js/)!;
    const [styles] = html.match(/assets\/styles-[A-Z0-9]+\.css/)!;
    const js = await fetch(`${origin}/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(
      /^(text|application)\/javascript; charset=utf-8$/,
    );
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await fetch(`${origin}/${styles}`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const missing = await fetch(`${origin}/assets/main-NOTBUILT.js`);
    expect(missing.status).toBe(404);
  });

  it("keeps an odd Host header out of the policy", async () => {
    const response = await get(`${origin}/`, { host: "example.com; script-src *" });
    expect(response.headers["content-security-policy"]).toContain("connect-src 'self';");
  });

  it("leaves Apollo's landing page at /graphql in development", async () => {
    const response = await fetch(gateway.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBeNull();
    expect(await response.text()).toMatch(/apollo/i);
  });

  it("says how to build the page when it was not built", async () => {
    const server = http.createServer(express().use(createWebPageRouter({ root: null })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("npm run build");
    } finally {
      server.close();
    }
  });
});
