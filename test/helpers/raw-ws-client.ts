import { randomBytes } from "node:crypto";
import net from "node:net";

type Message = { id?: string; type: string; payload?: unknown };

/**
 * A `graphql-transport-ws` client on a bare TCP socket, for what client libraries hide: stop
 * reading altogether (the socket is paused, so the server's answers back up in the kernel and then
 * in the gateway), and put many messages in one TCP write (so they arrive together).
 */
export class RawWsClient {
  /** Every text message read so far, parsed. */
  readonly messages: Message[] = [];
  /** The code of the server's close frame, once read; null while none has been. */
  closeCode: number | null = null;
  /** Settles when the TCP connection has ended, whoever ended it. */
  readonly closed: Promise<void>;
  private received = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  private constructor(private readonly socket: net.Socket) {
    // Writes racing the server's close fail with EPIPE or ECONNRESET: expected here.
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  /** Opens the socket and completes the HTTP upgrade for `graphql-transport-ws`. */
  static async connect(wsUrl: string): Promise<RawWsClient> {
    const url = new URL(wsUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.write(
      [
        `GET ${url.pathname} HTTP/1.1`,
        `Host: ${url.host}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: graphql-transport-ws",
        "",
        "",
      ].join("\r\n"),
    );
    const rest = await new Promise<Buffer>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onData);
        const status = head.subarray(0, end).toString().split("\r\n")[0];
        if (!/^HTTP\/1\.1 101/.test(status)) reject(new Error(`upgrade refused: ${status}`));
        else resolve(head.subarray(end + 4));
      };
      socket.on("data", onData);
    });
    const client = new RawWsClient(socket);
    socket.on("data", (chunk: Buffer) => client.read(chunk));
    client.read(rest);
    return client;
  }

  /** Sends `connection_init` with the bearer token and waits for `connection_ack`. */
  async init(token: string): Promise<void> {
    this.send([{ type: "connection_init", payload: { authorization: `Bearer ${token}` } }]);
    const acknowledged = () => this.messages.some((m) => m.type === "connection_ack");
    await this.until(acknowledged);
    if (!acknowledged()) throw new Error(`no connection_ack (closed with ${this.closeCode})`);
  }

  /** Writes all the messages in one TCP write. */
  send(messages: Message[]): void {
    this.socket.write(
      Buffer.concat(messages.map((m) => frame(0x1, Buffer.from(JSON.stringify(m))))),
    );
  }

  /** Stops reading: nothing more leaves the kernel's receive buffer until `resume()`. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** The client's end of the TCP connection. */
  get localPort(): number {
    return this.socket.localPort!;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Resolves once `check` holds after a read (or at once), or when the connection ends. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = () => {
        if (!check()) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
      this.closed.then(resolve);
    });
  }

  /** Parses the server's frames (never masked, never fragmented by `ws`); answers pings and the close. */
  private read(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    for (;;) {
      const buffer = this.received;
      if (buffer.length < 2) break;
      let length = buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) [length, offset] = [buffer.length >= 4 ? buffer.readUInt16BE(2) : -1, 4];
      else if (length === 127)
        [length, offset] = [buffer.length >= 10 ? Number(buffer.readBigUInt64BE(2)) : -1, 10];
      if (length < 0 || buffer.length < offset + length) break;
      const payload = buffer.subarray(offset, offset + length);
      this.received = buffer.subarray(offset + length);
      const opcode = buffer[0] & 0x0f;
      if (opcode === 0x1) this.messages.push(JSON.parse(payload.toString()) as Message);
      else if (opcode === 0x8) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.socket.write(frame(0x8, payload.subarray(0, 2))); // as a real client answers
      } else if (opcode === 0x9) this.socket.write(frame(0xa, payload));
    }
    this.waiters.forEach((waiter) => waiter());
  }
}

/** One final, masked client frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65_536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
}
