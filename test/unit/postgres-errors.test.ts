import { describeFailure, isUnavailable } from "../../src/store/postgres/postgres-errors";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isUnavailable: which PostgreSQL failures mean 'try again later'", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a reset connection", withCode("ECONNRESET")],
    ["an unknown host", withCode("ENOTFOUND")],
    ["a connection exception (08006)", withCode("08006")],
    ["too many connections (53300)", withCode("53300")],
    ["an administrator shutdown (57P01)", withCode("57P01")],
    ["a server still starting (57P03)", withCode("57P03")],
    ["a statement timeout (57014)", withCode("57014")],
    ["pg's connect timeout", new Error("Connection terminated due to connection timeout")],
    ["pg's query timeout", new Error("Query read timeout")],
    ["a connection that ended", new Error("Connection terminated unexpectedly")],
    ["the pool's wait timeout", new Error("timeout exceeded when trying to connect")],
    ["every address refusing", Object.assign(new AggregateError([withCode("ECONNREFUSED")]), {})],
    ["a cause that is one", new Error("wrapped", { cause: withCode("ETIMEDOUT") })],
    ["a plain object from another realm", { code: "ECONNREFUSED", message: "connect refused" }],
  ])("%s is", (_what, error) => expect(isUnavailable(error)).toBe(true));

  it.each([
    ["a unique violation (23505)", withCode("23505")],
    ["a syntax error (42601)", withCode("42601")],
    ["a missing table (42P01)", withCode("42P01")],
    ["a serialization failure (40001)", withCode("40001")],
    ["an Error without a code", new Error("boom")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
  ])("%s is not", (_what, error) => expect(isUnavailable(error)).toBe(false));
});

describe("describeFailure", () => {
  const url = "postgres://gateway:p%40ss-w0rd@db.internal:5432/gateway";

  it("gives the first line of the message with its code", () => {
    expect(describeFailure(withCode("3D000", 'database "x" does not exist\nDETAIL: y'), url)).toBe(
      'database "x" does not exist (3D000)',
    );
  });

  it("takes the first refusal of an AggregateError, whose own message is empty", () => {
    const refused = withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432");
    const all = Object.assign(new AggregateError([refused], ""), { code: "ECONNREFUSED" });
    expect(describeFailure(all, url)).toBe("connect ECONNREFUSED 127.0.0.1:5432 (ECONNREFUSED)");
  });

  it("cuts out the URL and its (decoded) password should a message quote them", () => {
    const line = describeFailure(new Error(`bad ${url} and p@ss-w0rd`), url);
    expect(line).toBe("bad <redacted> and <redacted>");
  });
});
