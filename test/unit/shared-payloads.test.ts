import type { ExecutionResult, FormattedExecutionResult } from "graphql";
import { createPayloadSharing } from "../../src/transport/shared-payloads";

/** What graphql-ws sends for a `next` with this payload. */
const nextMessage = (id: string, payload: unknown) => JSON.stringify({ id, type: "next", payload });

describe("payload sharing", () => {
  it("serializes a result once for every socket it goes to, and each socket gets the whole message", () => {
    const sharing = createPayloadSharing();
    const result = { data: { taskUpdated: { id: "t1", status: "SUCCEEDED" } } };
    const format = jest.fn((r: ExecutionResult) => r as FormattedExecutionResult);
    const [a, b] = [{}, {}];
    const toA = nextMessage("1", sharing.placeholder(a, result, format));
    const toB = nextMessage("7f3a", sharing.placeholder(b, result, format));
    expect(format).toHaveBeenCalledTimes(1);
    expect(JSON.parse(sharing.fill(a, toA))).toEqual({ id: "1", type: "next", payload: result });
    expect(JSON.parse(sharing.fill(b, toB))).toEqual({ id: "7f3a", type: "next", payload: result });
  });

  it("never fills one socket's message with another socket's payload", () => {
    const sharing = createPayloadSharing();
    const [a, b] = [{}, {}];
    const toA = nextMessage(
      "1",
      sharing.placeholder(a, { data: { secret: 1 } }, (r) => r),
    );
    expect(sharing.fill(b, toA)).toBe(toA);
  });

  it("leaves every other message as it is", () => {
    const sharing = createPayloadSharing();
    const complete = JSON.stringify({ id: "1", type: "complete" });
    expect(sharing.fill({}, complete)).toBe(complete);
  });
});
