import { loadConfig } from "../../src/app/config";
import { ApimartClient, type ApimartClientOptions } from "../../src/upstream/apimart.client";
import { createLogger } from "../../src/observability/logger";
import { aTextRequest } from "../helpers/fixtures";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the stub upstream received it, body read in full. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type StubHandler = (
  request: RecordedRequest,
  res: http.ServerResponse,
  req: http.IncomingMessage,
) => void;

export interface UpstreamStub {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A throwaway HTTP server on a free port that answers every request with `handler`. */
export async function startUpstreamStub(handler: StubHandler): Promise<UpstreamStub> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(request);
      handler(request, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts stubs for the current test and closes them (and their connections) after each test. */
export function useUpstreamStubs(): (handler: StubHandler) => Promise<UpstreamStub> {
  const open: UpstreamStub[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((stub) => stub.close()));
  });
  return async (handler) => {
    const stub = await startUpstreamStub(handler);
    open.push(stub);
    return stub;
  };
}

/** A base URL where nothing listens: a port that was free a moment ago. */
export async function closedPortBaseUrl(): Promise<string> {
  const stub = await startUpstreamStub(() => undefined);
  await stub.close();
  return stub.baseUrl;
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** A client of the stub with the production timeouts and body limit, silent, unless overridden. */
export function apimartClient(
  options: Pick<ApimartClientOptions, "baseUrl" | "apiKey"> & Partial<ApimartClientOptions>,
): ApimartClient {
  return new ApimartClient({
    submitTimeoutMs: 30_000,
    statusTimeoutMs: 10_000,
    maxBodyBytes: loadConfig({}).upstream.maxBodyBytes,
    logger: createLogger("silent"),
    ...options,
  });
}

/** The request the client tests submit: text-to-video of "a fox" with the defaults. */
export const REQUEST = aTextRequest({ prompt: "a fox" });
