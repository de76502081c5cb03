import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";
import { RequestErrorCode } from "../domain/error-codes";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import type { Logger } from "../observability/logger";
import { httpBackpressure, type HttpBackpressureOptions } from "./http-backpressure";
import { createWebPageRouter, type WebPageOptions } from "./web-page";

export interface HttpTransportOptions extends HttpBackpressureOptions {
  /** Largest JSON body accepted on `POST /graphql`, in bytes; larger ones get 413 (`MAX_REQUEST_BYTES`). */
  maxRequestBytes: number;
  /** Browser origins allowed on `/graphql` (`CORS_ORIGINS`): any, or exactly these. */
  corsOrigins: "*" | readonly string[];
}

/**
 * The Express app: `POST /graphql` through Apollo (multipart subscriptions beside it), the
 * operations endpoints, the demo page at `/`, and JSON answers (never HTML) for bodies that are too
 * large or not JSON; connections that pipeline too deep or do not read are cut.
 */
export function createHttpApp(deps: {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  logger: Logger;
  /** Takes the subscriptions that ask for Apollo's multipart protocol; the rest goes on to Apollo. */
  multipartSubscriptions: RequestHandler;
  /** `/healthz`, `/readyz`, `/metrics`. */
  operations: Router;
  options: HttpTransportOptions;
  webPage: WebPageOptions;
}) {
  const app = express();
  app.disable("x-powered-by");
  app.use(httpBackpressure(deps.logger, deps.options));
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

/** What the body parser refuses, said in JSON: never Express's HTML page with a stack trace. */
const BODY_PROBLEMS: Record<string, { message: string; code: RequestErrorCode }> = {
  "entity.too.large": {
    message: "The request body is too large.",
    code: RequestErrorCode.PAYLOAD_TOO_LARGE,
  },
  "entity.parse.failed": {
    message: "The request body is not valid JSON.",
    code: RequestErrorCode.BAD_REQUEST,
  },
  "charset.unsupported": {
    message: "The request body must be UTF-8.",
    code: RequestErrorCode.BAD_REQUEST,
  },
  "encoding.unsupported": {
    message: "The request body's Content-Encoding is not supported.",
    code: RequestErrorCode.BAD_REQUEST,
  },
};

const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" ? error.status : 500;
  if (status >= 500) return next(error);
  const problem = BODY_PROBLEMS[error?.type] ?? {
    message: "The request could not be read.",
    code: RequestErrorCode.BAD_REQUEST,
  };
  res
    .status(status)
    .json({ errors: [{ message: problem.message, extensions: { code: problem.code } }] });
};
