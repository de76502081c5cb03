import type { IncomingHttpHeaders } from "node:http";
import type { RequestHandler, Response } from "express";
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  subscribe,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";
import { RequestErrorCode } from "../domain/error-codes";
import { QuotaExceededError, ShuttingDownError } from "../errors/gateway-errors";
import type { ContextFactory, GatewayContext } from "../graphql/context";
import type { createErrorFormatter } from "../graphql/error-formatter";
import type { OperationLimits } from "../limits/operation-limits";
import { prepareOperation, type OperationRequest } from "../limits/prepare-operation";
import type { Logger } from "../observability/logger";
import type { GatewayMetrics } from "../ports/metrics";
import type { SubscriptionCaps } from "../ports/subscription-caps";
import { acceptsMultipartSubscriptions, preferredJsonType } from "./accept";
import { csrfRefusal } from "./csrf";
import { MultipartStream } from "./multipart-stream";

export interface MultipartSubscriptionOptions {
  /** How often a stream gets a `{}` heartbeat part, so proxies and clients keep it open (`MULTIPART_HEARTBEAT_MS`). */
  heartbeatMs: number;
}

/** The one operation id a request carries: each request is its own "connection" for the caps. */
const OPERATION_ID = "multipart";

/**
 * Subscriptions over `POST /graphql` with Apollo's multipart protocol, for clients whose `Accept`
 * offers `multipart/mixed;subscriptionSpec=1.0` (Apollo Client's `HttpLink`, Apollo Kotlin's and Apollo
 * iOS's HTTP transports). Everything else goes on to Apollo. The same credential, context factory,
 * limits, caps and error formatter as the WebSocket; refusals before the stream starts are plain JSON
 * answers with an HTTP status, as Apollo gives them.
 */
export function createMultipartSubscriptions(deps: {
  schema: GraphQLSchema;
  contextFactory: ContextFactory;
  formatError: ReturnType<typeof createErrorFormatter>;
  limits: OperationLimits;
  caps: SubscriptionCaps;
  metrics: GatewayMetrics;
  logger: Logger;
  options: MultipartSubscriptionOptions;
}) {
  const { heartbeatMs } = deps.options;
  const open = new Set<ReturnType<typeof runStream>>();
  let closing = false;
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => deps.formatError(error.toJSON(), error));

  const handler: RequestHandler = async (req, res, next) => {
    const request = subscriptionRequest(req.method, req.headers, req.body, deps.limits);
    if (!request) return next();
    const refuse = (status: number, errors: readonly GraphQLFormattedError[]) => {
      res
        .status(status)
        .type(preferredJsonType(req.headers.accept))
        .send(JSON.stringify({ errors }));
    };
    const csrf = csrfRefusal(req.headers);
    if (csrf)
      return refuse(400, [{ message: csrf, extensions: { code: RequestErrorCode.BAD_REQUEST } }]);
    if (closing) return refuse(503, format([new ShuttingDownError()]));
    let contextValue: GatewayContext;
    try {
      contextValue = await deps.contextFactory(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof GraphQLError)) return next(error);
      return refuse(httpStatusOf(error) ?? 400, format([error]));
    }
    const prepared = prepareOperation(deps.schema, deps.limits, request);
    if (Array.isArray(prepared)) return refuse(400, format(prepared));
    const variables = getVariableValues(
      deps.schema,
      prepared.operation.variableDefinitions ?? [],
      request.variables ?? {},
    );
    if (variables.errors) return refuse(400, format(variables.errors));
    const connection = {};
    const refusal = deps.caps.acquire(connection, OPERATION_ID, contextValue.principal.id, request);
    if (refusal) return refuse(429, format([new QuotaExceededError(refusal)]));
    let result: AsyncIterable<ExecutionResult> | ExecutionResult;
    try {
      result = await subscribe({
        schema: deps.schema,
        document: prepared.document,
        operationName: request.operationName,
        variableValues: request.variables,
        contextValue,
      });
    } catch (error) {
      deps.caps.releaseConnection(connection);
      return next(error);
    }
    if (!(Symbol.asyncIterator in result)) {
      // The stream never started (e.g. NOT_FOUND): an ordinary GraphQL answer.
      deps.caps.releaseConnection(connection);
      const formatted = { ...result, errors: result.errors && format(result.errors) };
      return void res
        .status(200)
        .type(preferredJsonType(req.headers.accept))
        .send(JSON.stringify(formatted));
    }
    const iterator = result[Symbol.asyncIterator]();
    if (closing || res.destroyed || req.socket.destroyed) {
      // The client left (or the gateway began to stop) while the stream was being set up: its
      // 'close' came before anyone listened, so end what was started here.
      await iterator.return?.().catch(() => undefined);
      deps.caps.releaseConnection(connection);
      if (closing && !res.destroyed) refuse(503, format([new ShuttingDownError()]));
      return;
    }
    const stream = runStream(res, iterator);
    open.add(stream);
    await stream.ended;
    open.delete(stream);
    deps.caps.releaseConnection(connection);
  };

  /** Runs one subscription's stream until it completes, fails, the client leaves or we stop it. */
  function runStream(res: Response, iterator: AsyncIterator<ExecutionResult>) {
    const out = new MultipartStream(res);
    let stopped = false;
    let fatal: GraphQLError | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    const stop = (reason?: GraphQLError) => {
      if (stopped) return;
      stopped = true;
      fatal ??= reason;
      clearInterval(heartbeat);
      iterator.return?.().catch(() => undefined);
    };
    const ended = (async () => {
      deps.metrics.subscriptionStarted("multipart");
      res.once("close", () => stop());
      out.open();
      heartbeat = setInterval(() => void out.part({}), heartbeatMs);
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done || stopped) break;
          const payload = next.value.errors
            ? { ...next.value, errors: format(next.value.errors) }
            : next.value;
          if (!(await out.part({ payload }))) break;
          deps.metrics.eventDelivered("multipart");
        }
      } catch (error) {
        fatal =
          error instanceof GraphQLError
            ? error
            : new GraphQLError(String(error), { originalError: error as Error });
      } finally {
        stop();
        out.end(fatal && { payload: null, errors: format([fatal]) });
        deps.metrics.subscriptionEnded("multipart");
      }
    })();
    return { stop, ended, cut: () => out.destroy() };
  }

  return {
    handler,
    /**
     * Refuses new streams and ends every open one with a SHUTTING_DOWN part (clients subscribe again);
     * the connections of streams still open after `graceMs` are cut.
     */
    close: async (graceMs: number): Promise<void> => {
      closing = true;
      const streams = [...open];
      streams.forEach((s) => s.stop(new ShuttingDownError()));
      const cutOff = setTimeout(() => streams.forEach((s) => s.cut()), graceMs);
      try {
        await Promise.all(streams.map((s) => s.ended));
      } finally {
        clearTimeout(cutOff);
      }
    },
  };
}

/** The operation of a request that asks for a multipart subscription, or null to leave it to Apollo. */
function subscriptionRequest(
  method: string,
  headers: IncomingHttpHeaders,
  body: unknown,
  limits: OperationLimits,
): OperationRequest | null {
  if (method !== "POST" || !acceptsMultipartSubscriptions(headers.accept)) return null;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const { query, operationName, variables } = body as Record<string, unknown>;
  if (typeof query !== "string") return null;
  if (operationName != null && typeof operationName !== "string") return null;
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return null;
  try {
    const operation = getOperationAST(parse(query, limits.parseOptions), operationName as string);
    if (operation?.operation !== "subscription") return null;
  } catch {
    return null; // Apollo reports the syntax error
  }
  return {
    query,
    operationName: operationName as string | null | undefined,
    variables: variables as Record<string, unknown> | null | undefined,
  };
}

function httpStatusOf(error: GraphQLError): number | undefined {
  const http = error.extensions.http as { status?: unknown } | undefined;
  return typeof http?.status === "number" ? http.status : undefined;
}
