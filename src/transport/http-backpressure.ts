import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../observability/logger";

export interface HttpBackpressureOptions {
  /**
   * Most requests on one connection whose answers the client has not yet taken; one more closes
   * the connection. Clients that do not pipeline (browsers, URLSession, OkHttp, fetch) have one
   * (`HTTP_MAX_PIPELINED_REQUESTS`).
   */
  maxPipelinedRequests: number;
  /**
   * How long a client has to take a finished answer (beyond what the kernel's buffers hold)
   * before its connection is closed (`HTTP_SLOW_READER_TIMEOUT_MS`).
   */
  slowReaderTimeoutMs: number;
}

/**
 * Per-connection bounds for HTTP. Node stops reading a pipelining socket once answers back up, but
 * only after dispatching everything in the read at hand: 64 KB of small pipelined queries for large
 * pages ran 406 executions and held 190 MB for one connection. And no server timeout covers an
 * answer the client does not read, so such a connection held it all for good. Here a connection
 * gets a few answers in flight, and a finished answer must be taken in time; past either the
 * connection is destroyed, which drops its queued answers and parses nothing more from it.
 */
export function httpBackpressure(
  logger: Logger,
  options: HttpBackpressureOptions,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const { maxPipelinedRequests: maxPipelined, slowReaderTimeoutMs: timeoutMs } = options;
  const waiting = new WeakMap<Socket, number>();
  const cut = (socket: Socket, reason: string) => {
    if (socket.destroyed) return;
    logger.warn({ reason, waiting: waiting.get(socket) }, "http connection cut at a limit");
    socket.destroy();
  };
  return (req, res, next) => {
    const socket = req.socket;
    // Destroyed below while Node still parses the rest of the same read: those never run.
    if (socket.destroyed) return;
    const count = waiting.get(socket) ?? 0;
    if (count >= maxPipelined) return cut(socket, "too many pipelined requests");
    waiting.set(socket, count + 1);
    let cutOff: NodeJS.Timeout | undefined;
    // 'prefinish': the whole answer is handed to the socket; 'close': taken, or the connection is gone.
    res.once("prefinish", () => {
      cutOff = setTimeout(() => cut(socket, "answer not read in time"), timeoutMs).unref();
    });
    res.once("close", () => {
      clearTimeout(cutOff);
      waiting.set(socket, (waiting.get(socket) ?? 1) - 1);
    });
    next();
  };
}
