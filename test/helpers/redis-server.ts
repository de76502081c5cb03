import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, nothing saved); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it accepts connections. */
  start(): Promise<void>;
}

/** A free TCP port on the loopback: bound by the OS, then released for redis-server to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private `redis-server` on a free port, as production must run it for the gateway
 * (`maxmemory-policy noeviction`), keeping nothing on disk. Each test owns one and stops it.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const server = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = server;
    exited = new Promise((resolve) => server.once("exit", () => resolve()));
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) resolve();
      };
      server.stdout!.on("data", onData);
      server.stderr!.on("data", onData);
      server.once("error", reject);
      void exited.then(() => reject(new Error(`redis-server exited before ready:\n${output}`)));
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      child = null;
    },
  };
}
