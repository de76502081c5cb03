import type { AddressInfo } from "node:net";
import http from "node:http";
import express from "express";
import { operationsRoutes, type ReadinessCheck } from "../../src/transport/operations";

async function readyz(checks: ReadinessCheck[]) {
  const app = express().use(
    operationsRoutes({ checks, scrapeMetrics: null, options: { readinessTimeoutMs: 100 } }),
  );
  const server = http.createServer(app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: await response.json() };
  } finally {
    server.close();
  }
}

describe("/readyz", () => {
  const ok: ReadinessCheck = { name: "store", check: async () => undefined };

  it("is 200 when every check passes", async () => {
    expect(await readyz([ok, { name: "not_draining", check: () => undefined }])).toEqual({
      status: 200,
      body: { status: "ready", checks: { store: "ok", not_draining: "ok" } },
    });
  });

  it.each([
    ["rejects", async () => Promise.reject(new Error("connection refused"))],
    [
      "throws",
      () => {
        throw new Error("draining");
      },
    ],
    ["does not answer in time", () => new Promise<void>(() => undefined)],
  ])("is 503 naming the check that %s, without its error text", async (_what, check) => {
    const { status, body } = await readyz([ok, { name: "redis", check }]);
    expect(status).toBe(503);
    expect(body).toEqual({ status: "unavailable", checks: { store: "ok", redis: "failed" } });
  });
});
