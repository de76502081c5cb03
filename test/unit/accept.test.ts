import {
  acceptsMultipartSubscriptions,
  JSON_MEDIA_TYPES,
  parseAccept,
  preferredJsonType,
} from "../../src/transport/accept";

describe("the Accept header parser", () => {
  it("reads types, parameters (quoted or not) and q-values, in any case and spacing", () => {
    expect(
      parseAccept(' Multipart/Mixed ; boundary="graph;ql" ;subscriptionSpec=1.0; q=0.5 , */*'),
    ).toEqual([
      {
        type: "multipart/mixed",
        params: { boundary: "graph;ql", subscriptionspec: "1.0" },
        q: 0.5,
      },
      { type: "*/*", params: {}, q: 1 },
    ]);
  });

  it("skips what it cannot read", () => {
    expect(parseAccept("nonsense, ,application/json")).toEqual([
      { type: "application/json", params: {}, q: 1 },
    ]);
  });

  it.each([
    ["multipart/mixed;subscriptionSpec=1.0", true],
    ['multipart/mixed;subscriptionSpec="1.0"', true],
    ["multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json;q=0.9", true],
    ["application/json, multipart/mixed; subscriptionSpec=1.0; q=0.1", true],
    ["multipart/mixed;subscriptionSpec=1.0;q=0", false],
    ["multipart/mixed;deferSpec=20220824", false],
    ["multipart/mixed;subscriptionSpec=2.0", false],
    ["*/*", false],
    [undefined, false],
  ])("%s offers multipart subscriptions: %s", (header, expected) => {
    expect(acceptsMultipartSubscriptions(header)).toBe(expected);
  });

  it.each([
    [undefined, JSON_MEDIA_TYPES.json],
    ["*/*", JSON_MEDIA_TYPES.json],
    ["application/json", JSON_MEDIA_TYPES.json],
    ["application/graphql-response+json,application/json;q=0.9", JSON_MEDIA_TYPES.graphqlResponse],
    ["application/json, application/graphql-response+json;q=0.5", JSON_MEDIA_TYPES.json],
  ])("with %s an error answer is %s", (header, expected) => {
    expect(preferredJsonType(header)).toBe(expected);
  });
});
