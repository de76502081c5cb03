import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../../src/upstream/retry-after";

const NOW = Date.parse("2025-06-01T12:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds as milliseconds", () => {
    expect(parseRetryAfter("7", NOW)).toBe(7000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
  });

  it("reads an HTTP date as the time left until it", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:00:30 GMT", NOW)).toBe(30_000);
  });

  it("accepts the obsolete RFC 850 and asctime date forms", () => {
    expect(parseRetryAfter("Sunday, 01-Jun-25 12:00:10 GMT", NOW)).toBe(10_000);
    expect(parseRetryAfter("Sun Jun  1 12:00:05 2025", NOW)).toBe(5000);
  });

  it("gives 0 for a negative delay or a date in the past", () => {
    expect(parseRetryAfter("-5", NOW)).toBe(0);
    expect(parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", NOW)).toBe(0);
  });

  it("caps absurd delays at one hour", () => {
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
    expect(parseRetryAfter("86400", NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Thu, 01 Jan 2099 00:00:00 GMT", NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each([null, "", "  ", "soon", "5 seconds", "1e3", "0x10", "Mon, 99 Foo 2025"])(
    "returns undefined for the absent or unreadable value %p",
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it("measures from the current time by default", () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(inAMinute);
    expect(ms).toBeGreaterThan(58_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
