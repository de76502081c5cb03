import type { ServerResponse } from "node:http";

/** The boundary Apollo Router uses; clients read whatever the Content-Type names. */
const BOUNDARY = "graphql";

/** Apollo's multipart subscription response type (`subscriptionSpec=1.0`). */
export const MULTIPART_SUBSCRIPTION_TYPE = `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec=1.0`;

const PART_HEAD = "\r\nContent-Type: application/json\r\n\r\n";

/**
 * Writes Apollo's multipart subscription framing. As Apollo Router does, every write ends with the
 * next delimiter (`\r\n--graphql`), so a client's parser sees each part whole as soon as it arrives,
 * not when the next one does: the stream is `\r\n--graphql`, then per part
 * `\r\nContent-Type: application/json\r\n\r\n<json>\r\n--graphql`, then `--\r\n`.
 */
export class MultipartStream {
  private ended = false;

  constructor(private readonly res: ServerResponse) {}

  /** Sends the status line, the headers and the first delimiter, so the client's fetch resolves. */
  open(headers: Record<string, string> = {}): void {
    this.res.writeHead(200, {
      ...headers,
      "content-type": MULTIPART_SUBSCRIPTION_TYPE,
      "cache-control": "no-cache, no-store",
      // Proxies such as nginx would otherwise hold parts back until a buffer fills.
      "x-accel-buffering": "no",
    });
    this.res.write(`\r\n--${BOUNDARY}`);
  }

  /**
   * Writes one part (`{}` is a heartbeat; `{"payload": ...}` an event). Resolves once the socket can
   * take more, so a slow reader slows the stream instead of filling memory; false once closed.
   */
  async part(body: object): Promise<boolean> {
    if (this.ended || this.res.writableEnded || this.res.destroyed) return false;
    const flushed = this.res.write(`${PART_HEAD}${JSON.stringify(body)}\r\n--${BOUNDARY}`);
    if (flushed) return true;
    return new Promise((resolve) => {
      const done = (open: boolean) => () => {
        this.res.off("drain", onDrain);
        this.res.off("close", onClose);
        resolve(open);
      };
      const onDrain = done(true);
      const onClose = done(false);
      this.res.once("drain", onDrain);
      this.res.once("close", onClose);
    });
  }

  /** Closes the multipart body (`--graphql--`), after a last part if given, and the response; idempotent. */
  end(lastPart?: object): void {
    if (this.ended) return;
    this.ended = true;
    if (this.res.writableEnded || this.res.destroyed) return;
    const last = lastPart ? `${PART_HEAD}${JSON.stringify(lastPart)}\r\n--${BOUNDARY}` : "";
    this.res.end(`${last}--\r\n`);
  }

  /** Cuts the connection of a client that does not read what is left. */
  destroy(): void {
    this.ended = true;
    this.res.destroy();
  }
}
