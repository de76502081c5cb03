import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import { RequestErrorCode } from "../domain/error-codes";
import type { ContextFactory, GatewayContext } from "../graphql/context";

export interface HttpTransportOptions {
  /** Largest JSON body accepted on `POST /graphql`, in bytes; larger ones get 413 (`MAX_REQUEST_BYTES`). */
  maxRequestBytes: number;
}

/** One thing the gateway needs to serve traffic; it throws (or rejects) when it is not there. */
export interface ReadinessCheck {
  /** Named in the `/readyz` answer, e.g. `store`, `redis`. */
  name: string;
  check(): Promise<void> | void;
}

/** A readiness check slower than this fails: probes typically time out after 1 to 5 s. */
const READINESS_TIMEOUT_MS = 2000;

/**
 * The Express app: `POST /graphql` through Apollo, `GET /healthz` (the process answers), `GET
 * /readyz` (200 when every check passes, else 503 naming each check's state), and JSON answers
 * (never HTML) for bodies that are too large or not JSON.
 */
export function createHttpApp(deps: {
  apollo: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  readinessChecks: readonly ReadinessCheck[];
  options: HttpTransportOptions;
}) {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      deps.readinessChecks.map(
        async ({ name, check }) => [name, (await passes(check)) ? "ok" : "failed"] as const,
      ),
    );
    const ready = results.every(([, state]) => state === "ok");
    res
      .status(ready ? 200 : 503)
      .set("cache-control", "no-store")
      .json({ status: ready ? "ready" : "unavailable", checks: Object.fromEntries(results) });
  });
  app.use(
    "/graphql",
    cors(),
    express.json({ limit: deps.options.maxRequestBytes }),
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

/** Whether `check` passes within {@link READINESS_TIMEOUT_MS}, so a hung dependency cannot hang the probe. */
async function passes(check: ReadinessCheck["check"]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, READINESS_TIMEOUT_MS, false);
  });
  try {
    const outcome = Promise.resolve()
      .then(check)
      .then(
        () => true,
        () => false,
      );
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
