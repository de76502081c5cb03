import { handleProtocols, makeServer, type ServerOptions } from "graphql-ws";
import type { WebSocket, WebSocketServer } from "ws";
import { CloseCode } from "../domain/error-codes";
import type { Logger } from "../observability/logger";
import type { PayloadSharing } from "./shared-payloads";

export interface WebSocketBounds {
  /**
   * Most messages being handled at once on one connection: queries and mutations executing or
   * waiting for the client to take their answer, plus live subscriptions. One more closes the
   * socket with 1008 (`WS_MAX_OPERATIONS_IN_FLIGHT`).
   */
  maxOperationsInFlight: number;
  /**
   * Most bytes queued in the process for a client that reads slower than it is answered; a send
   * past it closes the socket with 1013. A single message still goes out when nothing is queued
   * ahead of it (`WS_MAX_BUFFERED_BYTES`).
   */
  maxBufferedBytes: number;
  /**
   * How long a socket closed at a limit may take to go before it is cut: time for a client that
   * reads to get the close frame; one that does not read holds nothing past it.
   */
  terminateGraceMs: number;
  /** Ping interval; a peer that has not answered the previous ping is cut. */
  keepAliveMs: number;
}

/**
 * What each connection's context carries besides graphql-ws's own: the socket. Not the upgrade
 * request (graphql-ws's `useServer` keeps it), which nothing here reads and which would otherwise be
 * held, headers and all, for the life of every socket.
 */
export interface Extra {
  socket: WebSocket;
}

export interface WebSocketStats {
  /** Open sockets. */
  connections: number;
  /** Messages being handled over all sockets (see {@link WebSocketBounds.maxOperationsInFlight}). */
  operationsInFlight: number;
  /** The most operations ever in flight on one socket: how near clients come to the bound. */
  peakOperationsInFlight: number;
  /** Sockets closed so far at each limit. */
  closedAtLimit: { tooManyOperations: number; slowReader: number };
}

/**
 * graphql-ws on a `ws` server, as graphql-ws's own `useServer` (which invites copying and adjusting
 * it), plus per-connection bounds. `useServer` starts every message's operation at once and awaits
 * each `send` callback, which `ws` fires only when the kernel takes the bytes: for a client that
 * does not read, every answer (its result, its JSON and its frame) stays in memory, and every new
 * message starts another execution. Here a connection has a bounded number of messages in flight
 * and a bounded send queue; past either it is closed, then cut after a short grace, since a client
 * that does not read never answers a close frame. Cutting it ends its subscriptions (releasing the
 * caps), frees its queue, and settles its pending sends, so its operations end.
 */
export function useBoundedServer(
  options: ServerOptions<Record<string, unknown> | undefined, Extra>,
  wsServer: WebSocketServer,
  logger: Logger,
  bounds: WebSocketBounds,
  /** Fills in the `next` payloads that `onNext` left as placeholders. */
  payloads?: PayloadSharing,
) {
  const {
    maxOperationsInFlight: maxInFlight,
    maxBufferedBytes: maxBuffered,
    terminateGraceMs: graceMs,
    keepAliveMs,
  } = bounds;
  const server = makeServer(options);
  const stats: WebSocketStats = {
    connections: 0,
    operationsInFlight: 0,
    peakOperationsInFlight: 0,
    closedAtLimit: { tooManyOperations: 0, slowReader: 0 },
  };
  wsServer.options.handleProtocols = handleProtocols;

  wsServer.on("connection", (socket: WebSocket) => {
    stats.connections += 1;
    let inFlight = 0;
    let cutOff: NodeJS.Timeout | undefined;
    const closeAtLimit = (
      code: number,
      reason: string,
      limit: keyof WebSocketStats["closedAtLimit"],
    ) => {
      if (socket.readyState !== socket.OPEN) return;
      stats.closedAtLimit[limit] += 1;
      logger.warn(
        { code, reason, operationsInFlight: inFlight, bufferedBytes: socket.bufferedAmount },
        "websocket closed at a per-connection limit",
      );
      socket.close(code, reason);
      cutOff = setTimeout(() => socket.terminate(), graceMs);
    };
    let answeredPing = true;
    socket.on("pong", () => (answeredPing = true));
    const heartbeat = setInterval(() => {
      if (!answeredPing) return socket.terminate();
      answeredPing = false;
      socket.ping();
    }, keepAliveMs);
    // ws closes the socket itself on a protocol error (1002) or an oversized message (1009).
    socket.on("error", (error) => logger.debug({ err: error }, "websocket error"));

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (message) =>
          new Promise<void>((resolve) => {
            const data = payloads ? payloads.fill(socket, message) : message;
            if (socket.readyState !== socket.OPEN) return resolve();
            const queued = socket.bufferedAmount;
            if (queued > 0 && queued + Buffer.byteLength(data) > maxBuffered) {
              closeAtLimit(CloseCode.TRY_AGAIN_LATER, "Too much unread data", "slowReader");
              return resolve();
            }
            // Settles on an error too: the socket is going, and the operation just ends.
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (data) => {
            if (socket.readyState !== socket.OPEN) return; // closing: nothing more starts
            if (inFlight >= maxInFlight) {
              closeAtLimit(
                CloseCode.POLICY_VIOLATION,
                "Too many operations in flight",
                "tooManyOperations",
              );
              return;
            }
            inFlight += 1;
            stats.operationsInFlight += 1;
            stats.peakOperationsInFlight = Math.max(stats.peakOperationsInFlight, inFlight);
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, "websocket message handling failed");
              socket.close(CloseCode.INTERNAL_ERROR, "Internal server error");
            } finally {
              inFlight -= 1;
              stats.operationsInFlight -= 1;
            }
          }),
      },
      { socket },
    );
    socket.once("close", (code, reason) => {
      clearTimeout(cutOff);
      clearInterval(heartbeat);
      stats.connections -= 1;
      closed(code, String(reason)).catch((error) =>
        logger.error({ err: error }, "websocket cleanup failed"),
      );
    });
  });

  return {
    stats: (): WebSocketStats => ({ ...stats, closedAtLimit: { ...stats.closedAtLimit } }),
    /** Closes every socket with 1001 (Going Away) and stops accepting. */
    dispose: async () => {
      wsServer.clients.forEach((client) => client.close(CloseCode.GOING_AWAY, "Going away"));
      wsServer.removeAllListeners("connection");
      await new Promise<void>((resolve, reject) =>
        wsServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
