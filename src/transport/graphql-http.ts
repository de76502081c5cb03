import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from "@apollo/server";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import { acceptsMultipartSubscriptions } from "./accept";
import { bodyProblem } from "./body-problems";
import { plainJsonBody, readJsonBody } from "./json-body";

export interface GraphqlHttpOptions {
  /** Largest JSON body accepted, in bytes; larger ones get 413 (`MAX_REQUEST_BYTES`). */
  maxRequestBytes: number;
  /** Browser origins allowed (`CORS_ORIGINS`): any, or exactly these. */
  corsOrigins: "*" | readonly string[];
}

/**
 * GraphQL over HTTP for the requests nearly every client sends, `POST /graphql` with a plain UTF-8
 * JSON body (`application/json`, at most `charset=utf-8`, not compressed), without Express's app and router, as Apollo's own standalone server does it: the CORS
 * headers the `cors` package sets on such a request, the JSON body rules and limit of
 * `express.json()` (refusals answered as the Express app answers them), then Apollo with the one
 * context factory (CSRF prevention, limits, plugins and the error formatter are Apollo's, as on
 * every path). The answer is written in one piece. `takes` says which requests are for it; the rest
 * (preflights, GET, compressed or non-UTF-8 bodies, multipart subscriptions, other paths) go to
 * Express, whose answers `test/integration/http-fast-path.test.ts` compares with these.
 */
export function createGraphqlHttp(deps: {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  options: GraphqlHttpOptions;
}) {
  const { corsOrigins, maxRequestBytes } = deps.options;
  const allowed = new Set(corsOrigins === "*" ? [] : corsOrigins);
  const setCorsHeaders =
    corsOrigins === "*"
      ? (_req: IncomingMessage, res: ServerResponse) =>
          res.setHeader("access-control-allow-origin", "*")
      : (req: IncomingMessage, res: ServerResponse) => {
          const origin = req.headers.origin;
          if (origin !== undefined && allowed.has(origin)) {
            res.setHeader("access-control-allow-origin", origin);
          }
          res.setHeader("vary", "Origin");
        };

  const execute = async (req: IncomingMessage, body: unknown, res: ServerResponse) => {
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
        body,
      },
      context: () => deps.contextFactory(req.headers.authorization),
    });
    await write(res, response);
  };

  return {
    takes: (req: IncomingMessage): boolean => {
      return (
        req.method === "POST" &&
        (req.url === "/graphql" || req.url!.startsWith("/graphql?")) &&
        plainJsonBody(req) &&
        !acceptsMultipartSubscriptions(req.headers.accept)
      );
    },
    handle: (req: IncomingMessage, res: ServerResponse, fail: (error: unknown) => void): void => {
      setCorsHeaders(req, res);
      readJsonBody(req, maxRequestBytes).then(
        (body) => execute(req, body, res).catch(fail),
        (error: unknown) => {
          const problem = bodyProblem(error);
          if (!problem) return fail(error);
          send(res, problem.status, JSON.stringify(problem.body));
        },
      );
    },
  };
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
