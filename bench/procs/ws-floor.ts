import http from "node:http";
import { createPubSub } from "@graphql-yoga/subscription";
import { buildSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { TASK, TYPE_DEFS } from "./constant-task";
import { serve } from "./ipc";

type Task = typeof TASK;

/**
 * The floor for watchers: a bare graphql-ws server (`useServer` on `ws`) with the gateway's schema
 * and an in-memory pub/sub; `taskUpdated` answers the constant snapshot, then each published
 * change, and ends after a terminal status. No auth, no caps, no store.
 */
async function main(): Promise<void> {
  const pubsub = createPubSub<{ task: [id: string, task: Task] }>();
  const taskUpdated = async function* (args: { id: string }) {
    // Listening before the snapshot is sent, as the gateway does, so no change is missed.
    const changes = pubsub.subscribe("task", args.id)[Symbol.asyncIterator]();
    const change = changes.next();
    try {
      yield { taskUpdated: { ...TASK, id: args.id } };
      for (let next = await change; !next.done; next = await changes.next()) {
        yield { taskUpdated: next.value };
        if (next.value.status === "SUCCEEDED") return;
      }
    } finally {
      await changes.return?.();
    }
  };
  const server = http.createServer();
  useServer(
    { schema: buildSchema(TYPE_DEFS), roots: { subscription: { taskUpdated } } },
    new WebSocketServer({ server, path: "/graphql" }),
  );
  const backlog = Number(process.env.BENCH_LISTEN_BACKLOG ?? 511);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", backlog, resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  serve(
    { url: `http://127.0.0.1:${port}/graphql`, pid: process.pid },
    {
      /** Publishes the task's terminal change. */
      finish: (id) => {
        const task = { ...TASK, id: id as string, status: "SUCCEEDED", progress: 100, version: 4 };
        pubsub.publish("task", id as string, task);
      },
    },
  );
}

void main();
