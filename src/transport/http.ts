import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";
import { ErrorCode } from "../domain/error-codes";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import type { Logger } from "../observability/logger";
import { bodyProblem } from "./body-problems";
import { createGraphqlHttp, type GraphqlHttpOptions } from "./graphql-http";
import { httpBackpressure, type HttpBackpressureOptions } from "./http-backpressure";
import { createWebPageRouter, type WebPageOptions } from "./web-page";

export interface HttpTransportOptions extends HttpBackpressureOptions, GraphqlHttpOptions {}

interface HttpDeps {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  logger: Logger;
  /** Takes the subscriptions that ask for Apollo's multipart protocol; the rest goes on to Apollo. */
  multipartSubscriptions: RequestHandler;
  /** `/healthz`, `/readyz`, `/metrics`. */
  operations: Router;
  options: HttpTransportOptions;
  webPage: WebPageOptions;
}

/**
 * Every HTTP request: first the per-connection bounds (a connection that pipelines too deep or does
 * not read is cut), then `POST /graphql` with a JSON body on the fast path, and everything else on
 * the Express app.
 */
export function createHttpHandler(deps: HttpDeps) {
  const backpressure = httpBackpressure(deps.logger, deps.options);
  const graphql = createGraphqlHttp(deps);
  const app = createHttpApp(deps);
  const failed = (res: ServerResponse) => (error: unknown) => {
    deps.logger.error({ err: error }, "graphql request failed");
    if (res.headersSent) return void res.destroy();
    res.statusCode = 500;
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(
      JSON.stringify({
        errors: [
          {
            message: "Internal server error",
            extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
          },
        ],
      }),
    );
  };
  return (req: IncomingMessage, res: ServerResponse): void =>
    backpressure(req, res, () => {
      if (graphql.takes(req)) graphql.handle(req, res, failed(res));
      else void app(req, res);
    });
}

/**
 * The Express app for what the fast path does not take: `/graphql` preflights, GET and multipart
 * subscriptions (through Apollo, with the same CORS and JSON body rules), the operations endpoints,
 * the demo page at `/`, and JSON answers (never HTML) for bodies that are too large or not JSON.
 */
function createHttpApp(deps: HttpDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.use(deps.operations);
  app.use(createWebPageRouter(deps.webPage));
  app.use(
    "/graphql",
    cors({ origin: deps.options.corsOrigins === "*" ? "*" : [...deps.options.corsOrigins] }),
    express.json({ limit: deps.options.maxRequestBytes }),
    deps.multipartSubscriptions,
    expressMiddleware(deps.apollo, {
      context: ({ req }) => deps.contextFactory(req.headers.authorization),
    }),
  );
  app.use(bodyErrors);
  return app;
}

const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const problem = bodyProblem(error);
  if (!problem) return next(error);
  res.status(problem.status).json(problem.body);
};
