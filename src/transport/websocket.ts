import type { Server } from "node:http";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { ContextFactory } from "../context";
import type { createErrorFormatter } from "../errors";
import type { Logger } from "../logger";

export interface WebSocketTransportOptions {
  /** Largest message accepted from a client, in bytes. @default 65536 */
  maxPayloadBytes?: number;
  /** A connection that has not sent `connection_init` by then is closed (4408). @default 5000 */
  connectionInitWaitTimeoutMs?: number;
  /** Ping interval; a peer that misses a pong is dropped. @default 12000 */
  keepAliveMs?: number;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the HTTP server's `/graphql` path. Authentication happens in
 * `onConnect` (a bad credential closes the socket with 4403), and every operation gets its context
 * from the same factory, and its errors from the same formatter, as HTTP.
 */
export function attachWebSocketTransport(deps: {
  httpServer: Server;
  schema: GraphQLSchema;
  contextFactory: ContextFactory;
  formatError: ReturnType<typeof createErrorFormatter>;
  logger: Logger;
  options?: WebSocketTransportOptions;
}) {
  const { options = {} } = deps;
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: "/graphql",
    maxPayload: options.maxPayloadBytes ?? 65_536,
  });
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => deps.formatError(error.toJSON(), error));
  const authorizationOf = (params: Record<string, unknown> | undefined) => {
    const value = params?.authorization ?? params?.Authorization;
    return typeof value === "string" ? value : undefined;
  };
  const handle = useServer(
    {
      schema: deps.schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 5000,
      onConnect: async (ctx) => {
        try {
          await deps.contextFactory(authorizationOf(ctx.connectionParams));
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      context: (ctx) => deps.contextFactory(authorizationOf(ctx.connectionParams)),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
    options.keepAliveMs ?? 12_000,
  );
  wsServer.on("error", (error) => deps.logger.error({ err: error }, "websocket server error"));
  return {
    /** Closes every socket with 1001 (Going Away) so clients reconnect elsewhere. */
    close: async () => {
      await handle.dispose();
    },
  };
}
