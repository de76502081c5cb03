import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { serve } from "./ipc";
import { TASK, taskPage, TYPE_DEFS } from "./constant-task";

/**
 * The floor for queries: a bare Apollo Server 5 (standalone: `http`, cors, body-parser) with the
 * gateway's schema and constant data, no auth, no store, no limits beyond Apollo's own.
 */
async function main(): Promise<void> {
  const server = new ApolloServer({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: {
        task: () => TASK,
        tasks: (_: unknown, args: { first?: number }) => taskPage(args.first ?? 20),
      },
      Node: { __resolveType: () => "Task" },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  serve({ url, pid: process.pid }, {});
}

void main();
