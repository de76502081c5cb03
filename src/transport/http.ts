import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import type { ContextFactory, GatewayContext } from "../context";

export interface HttpTransportOptions {
  /** Largest JSON body accepted on `POST /graphql`, in bytes; larger ones get 413. @default 102400 */
  maxRequestBytes?: number;
}

/**
 * The Express app: `POST /graphql` through Apollo, `GET /healthz`, and JSON answers (never HTML) for
 * bodies that are too large or not JSON.
 */
export function createHttpApp(deps: {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  options?: HttpTransportOptions;
}) {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(
    "/graphql",
    cors(),
    express.json({ limit: deps.options?.maxRequestBytes ?? 102_400 }),
    expressMiddleware(deps.apollo, {
      context: ({ req }) => deps.contextFactory(req.headers.authorization),
    }),
  );
  app.use(bodyErrors);
  return app;
}

const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" ? error.status : 500;
  if (status === 413) {
    res.status(413).json({
      errors: [
        { message: "The request body is too large.", extensions: { code: "PAYLOAD_TOO_LARGE" } },
      ],
    });
  } else if (status === 400) {
    res.status(400).json({
      errors: [
        { message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } },
      ],
    });
  } else {
    next(error);
  }
};
