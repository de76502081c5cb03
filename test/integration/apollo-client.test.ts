import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { GenerateVideoFromTextDocument, TaskUpdatedDocument } from "../generated/graphql";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

const ALICE = "alice-secret-0123456789";

/** The README's web setup: HTTP for queries and mutations, the WebSocket for subscriptions. */
describe("Apollo Client 4 with split(HttpLink, GraphQLWsLink)", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: `alice:${ALICE}` });
  });
  afterAll(() => gateway.stop());

  it("submits over HTTP and follows the task over graphql-transport-ws to SUCCEEDED", async () => {
    const wsClient = createClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${ALICE}` },
    });
    const link = ApolloLink.split(
      ({ query }) => {
        const definition = getMainDefinition(query);
        return definition.kind === "OperationDefinition" && definition.operation === "subscription";
      },
      new GraphQLWsLink(wsClient),
      new HttpLink({ uri: gateway.url, headers: { authorization: `Bearer ${ALICE}` } }),
    );
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    try {
      const { data } = await client.mutate({
        mutation: GenerateVideoFromTextDocument,
        variables: {
          input: {
            prompt: "a lantern on a lake",
            model: "KLING_V3",
            mode: "STD",
            durationSeconds: 5,
            aspectRatio: "LANDSCAPE_16_9",
            negativePrompt: null,
            watermark: null,
          },
          idempotencyKey: null,
        },
      });
      const id = data!.generateVideoFromText.id;
      const statuses: string[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe({ query: TaskUpdatedDocument, variables: { id } }).subscribe({
          next: (result) =>
            result.error ? reject(result.error) : statuses.push(result.data!.taskUpdated.status),
          error: reject,
          complete: resolve,
        });
      });
      expect(statuses.at(-1)).toBe("SUCCEEDED");
    } finally {
      client.stop();
      await wsClient.dispose();
    }
  });
});
