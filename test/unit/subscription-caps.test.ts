import { InProcessSubscriptionCaps as SubscriptionCaps } from "../../src/limits/in-process.subscription-caps";

describe("SubscriptionCaps", () => {
  it("refuses past the per-connection and per-principal limits, and frees a slot on release", () => {
    const caps = new SubscriptionCaps({ perConnection: 2, perClient: 3 });
    const [a, b] = [{}, {}];
    const tokens = [{}, {}, {}, {}];
    expect(caps.acquire(a, "1", "p", tokens[0])).toBeNull();
    expect(caps.acquire(a, "2", "p", tokens[1])).toBeNull();
    expect(caps.acquire(a, "3", "p", tokens[2])).toMatch(/on this connection: the limit is 2/);
    expect(caps.acquire(b, "1", "p", tokens[2])).toBeNull();
    expect(caps.acquire(b, "2", "p", tokens[3])).toMatch(/for this client .* the limit is 3/);
    caps.release(a, "1", tokens[0]);
    expect(caps.acquire(b, "2", "p", tokens[3])).toBeNull();
  });

  it("a late release of an earlier start of a reused id does not count off the new one", () => {
    const caps = new SubscriptionCaps({ perConnection: 1, perClient: 10 });
    const connection = {};
    const first = {};
    const second = {};
    expect(caps.acquire(connection, "op", "p", first)).toBeNull();
    // The client completed "op" and reuses the id before the first stream has wound down.
    caps.releaseEnded(connection, () => true);
    expect(caps.acquire(connection, "op", "p", second)).toBeNull();
    caps.release(connection, "op", first); // the first stream's late onComplete
    expect(caps.acquire(connection, "other", "p", {})).toMatch(/the limit is 1/);
    caps.release(connection, "op", second);
    expect(caps.acquire(connection, "other", "p", {})).toBeNull();
  });

  it("a closed connection releases everything and counts nothing more", () => {
    const caps = new SubscriptionCaps({ perConnection: 5, perClient: 1 });
    const [a, b] = [{}, {}];
    expect(caps.acquire(a, "1", "p", {})).toBeNull();
    caps.releaseConnection(a);
    expect(caps.acquire(a, "2", "p", {})).toBeNull();
    expect(caps.acquire(b, "1", "p", {})).toBeNull();
  });
});
