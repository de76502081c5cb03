import type { Server } from "node:http";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import { CloseCode } from "../domain/error-codes";
import { IdentityProviderUnavailableError, QuotaExceededError } from "../errors/gateway-errors";
import type { ContextFactory } from "../graphql/context";
import type { createErrorFormatter } from "../graphql/error-formatter";
import type { OperationLimits } from "../limits/operation-limits";
import { prepareOperation } from "../limits/prepare-operation";
import type { Logger } from "../observability/logger";
import type { GatewayMetrics } from "../ports/metrics";
import type { SubscriptionCaps } from "../ports/subscription-caps";
import { createPayloadSharing } from "./shared-payloads";
import { createSharedSubscribe } from "./shared-subscriptions";
import { useBoundedServer, type WebSocketBounds } from "./ws-backpressure";

export interface WebSocketTransportOptions extends WebSocketBounds {
  /** Largest message accepted from a client, in bytes; a larger one closes the socket with 1009 (`WS_MAX_PAYLOAD_BYTES`). */
  maxPayloadBytes: number;
  /** A connection that has not sent `connection_init` by then is closed with 4408. */
  connectionInitWaitTimeoutMs: number;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the HTTP server's `/graphql` path. Authentication happens in
 * `onConnect` (a bad credential closes the socket with 4403); every operation is parsed, validated
 * and costed against the same limits as HTTP, gets its context from the same factory, and its errors
 * from the same formatter.
 */
export function attachWebSocketTransport(deps: {
  httpServer: Server;
  schema: GraphQLSchema;
  contextFactory: ContextFactory;
  /** Checks a credential (the context factory's first step), for `onConnect`. */
  authenticate: (authorization: string | undefined) => Promise<unknown>;
  formatError: ReturnType<typeof createErrorFormatter>;
  limits: OperationLimits;
  caps: SubscriptionCaps;
  metrics: GatewayMetrics;
  logger: Logger;
  options: WebSocketTransportOptions;
}) {
  const { options, caps } = deps;
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: "/graphql",
    maxPayload: options.maxPayloadBytes,
  });
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => deps.formatError(error.toJSON(), error));
  const live = liveSubscriptions(deps.metrics);
  const payloads = createPayloadSharing();
  const authorizationOf = (params: Record<string, unknown> | undefined) => {
    const value = params?.authorization ?? params?.Authorization;
    return typeof value === "string" ? value : undefined;
  };
  const handle = useBoundedServer(
    {
      schema: deps.schema,
      // Watchers of one task as one principal share one execution per event.
      subscribe: createSharedSubscribe(deps.schema),
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs,
      onConnect: async (ctx) => {
        try {
          await deps.authenticate(authorizationOf(ctx.connectionParams));
          return true;
        } catch (error) {
          if (error instanceof IdentityProviderUnavailableError) {
            // Not a bad credential: the client should reconnect later, not ask for a new one.
            ctx.extra.socket.close(CloseCode.TRY_AGAIN_LATER, "Credential cannot be checked now");
          }
          return false; // graphql-ws closes with 4403 Forbidden (a no-op if closing already)
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const prepared = prepareOperation(deps.schema, deps.limits, payload);
        if (Array.isArray(prepared)) return prepared;
        let contextValue;
        try {
          contextValue = await deps.contextFactory(authorizationOf(ctx.connectionParams));
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (prepared.operation.operation === "subscription") {
          // graphql-ws forgets an id as soon as the client completes it, but calls onComplete only
          // once the stream has returned: count those off first, so unsubscribe-then-subscribe works.
          caps.releaseEnded(ctx, (held) => !(held in ctx.subscriptions));
          const refusal = caps.acquire(ctx, id, contextValue.principal.id, payload);
          if (refusal) return [new QuotaExceededError(refusal)];
          live.started(ctx, payload);
        }
        return {
          schema: deps.schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      // graphql-ws hands onComplete the same payload object as onSubscribe: it names this start.
      onComplete: (ctx, id, payload) => {
        caps.release(ctx, id, payload);
        live.ended(ctx, payload);
      },
      onClose: (ctx) => {
        caps.releaseConnection(ctx);
        live.connectionClosed(ctx);
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (ctx, _id, payload, _args, result) => {
        live.delivered(ctx, payload);
        // A result shared by many watchers is serialized once, not once per socket.
        return payloads.placeholder(ctx.extra.socket, result, (shared) =>
          shared.errors ? { ...shared, errors: format(shared.errors) } : shared,
        );
      },
    },
    wsServer,
    deps.logger,
    options,
    payloads,
  );
  wsServer.on("error", (error) => deps.logger.error({ err: error }, "websocket server error"));
  wsServer.on("connection", (socket) => {
    deps.metrics.webSocketOpened();
    socket.once("close", () => deps.metrics.webSocketClosed());
  });
  return {
    /** Open sockets, operations in flight on them, and sockets closed at a per-connection limit. */
    stats: handle.stats,
    /**
     * Closes every socket with 1001 (Going Away) so clients reconnect elsewhere; sockets that have not
     * closed after `graceMs` are cut.
     */
    close: async (graceMs: number) => {
      const closing = handle.dispose();
      // A client that never answers the close frame (a phone that lost signal) must not hold the stop.
      const cutOff = setTimeout(
        () => wsServer.clients.forEach((client) => client.terminate()),
        graceMs,
      );
      try {
        await closing;
      } finally {
        clearTimeout(cutOff);
      }
    },
  };
}

/** The live subscription gauge and event counter for `ws`: each start counted off once, whichever way it ends. */
function liveSubscriptions(metrics: GatewayMetrics) {
  const byConnection = new WeakMap<object, Set<object>>();
  return {
    started: (connection: object, start: object) => {
      const starts = byConnection.get(connection) ?? new Set<object>();
      byConnection.set(connection, starts.add(start));
      metrics.subscriptionStarted("ws");
    },
    delivered: (connection: object, start: object) => {
      if (byConnection.get(connection)?.has(start)) metrics.eventDelivered("ws");
    },
    ended: (connection: object, start: object) => {
      if (byConnection.get(connection)?.delete(start)) metrics.subscriptionEnded("ws");
    },
    connectionClosed: (connection: object) => {
      byConnection.get(connection)?.forEach(() => metrics.subscriptionEnded("ws"));
      byConnection.delete(connection);
    },
  };
}
