import { randomKey, SubmitKeys } from "../../src/web/form/submit-key";

describe("the demo page's idempotency keys", () => {
  const counter = () => {
    let n = 0;
    return () => `key-${++n}`;
  };

  it("gives a repeated press of the same input the same key until a task exists", () => {
    const keys = new SubmitKeys(counter());
    const input = { kind: "TEXT_TO_VIDEO", input: { prompt: "a boat" } };
    expect(keys.keyFor(input)).toBe("key-1");
    expect(keys.keyFor({ ...input })).toBe("key-1");
    keys.succeeded();
    expect(keys.keyFor(input)).toBe("key-2");
  });

  it("gives a changed input a new key", () => {
    const keys = new SubmitKeys(counter());
    expect(keys.keyFor({ prompt: "a boat" })).toBe("key-1");
    expect(keys.keyFor({ prompt: "a ship" })).toBe("key-2");
  });

  it("makes UUIDs the gateway accepts as keys", () => {
    expect(randomKey()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
