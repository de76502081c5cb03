import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from "@apollo/server";
import cors from "cors";
import express from "express";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import { acceptsMultipartSubscriptions } from "./accept";
import { bodyProblem } from "./body-problems";

export interface GraphqlHttpOptions {
  /** Largest JSON body accepted, in bytes; larger ones get 413 (`MAX_REQUEST_BYTES`). */
  maxRequestBytes: number;
  /** Browser origins allowed (`CORS_ORIGINS`): any, or exactly these. */
  corsOrigins: "*" | readonly string[];
}

type Next = (error?: unknown) => void;

/**
 * GraphQL over HTTP for the requests nearly every client sends, `POST /graphql` with a JSON body,
 * without Express's app and router, as Apollo's own standalone server does it: the same CORS
 * headers, the same JSON body parser and limit (refusals answered as the Express app answers them),
 * then Apollo with the one context factory (CSRF prevention, limits, plugins and the error formatter
 * are Apollo's, as on every path). The answer is written in one piece. `takes` says which requests
 * are for it; the rest (preflights, GET, multipart subscriptions, other paths) go to Express.
 */
export function createGraphqlHttp(deps: {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  options: GraphqlHttpOptions;
}) {
  const { corsOrigins, maxRequestBytes } = deps.options;
  const corsHeaders = cors({ origin: corsOrigins === "*" ? "*" : [...corsOrigins] }) as (
    req: IncomingMessage,
    res: ServerResponse,
    next: Next,
  ) => void;
  const json = express.json({ limit: maxRequestBytes }) as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    next: Next,
  ) => void;

  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const query = req.url!.indexOf("?");
    const response = await deps.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: "POST",
        headers,
        search: query < 0 ? "" : req.url!.slice(query),
        body: req.body,
      },
      context: () => deps.contextFactory(req.headers.authorization),
    });
    await write(res, response);
  };

  return {
    takes: (req: IncomingMessage): boolean =>
      req.method === "POST" &&
      (req.url === "/graphql" || req.url!.startsWith("/graphql?")) &&
      isJson(req.headers["content-type"]) &&
      !acceptsMultipartSubscriptions(req.headers.accept),
    handle: (req: IncomingMessage, res: ServerResponse, fail: (error: unknown) => void): void => {
      corsHeaders(req, res, (error) => {
        if (error) return fail(error);
        json(req, res, (error) => {
          if (error) {
            const problem = bodyProblem(error);
            if (!problem) return fail(error);
            return send(res, problem.status, JSON.stringify(problem.body));
          }
          execute(req, res).catch(fail);
        });
      });
    },
  };
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(";");
  const essence = semicolon < 0 ? contentType : contentType.slice(0, semicolon);
  return essence.trim().toLowerCase() === "application/json";
}

async function write(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string); // headers and body in one write
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function send(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(body);
}
