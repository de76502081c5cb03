import { resolveSimulatorOptions, toBaseUrl } from "../../src/simulator/simulator.options";

const BASE = { host: "127.0.0.1", queuedMs: 0, processingMs: 0, failureRate: 0 };

describe("simulator publicUrl", () => {
  it.each([
    ["http://192.168.1.20:4010", "http://192.168.1.20:4010"],
    ["http://192.168.1.20:4010/", "http://192.168.1.20:4010"],
    ["https://sim.example.com//", "https://sim.example.com"],
    ["https://example.com/apimart-sim/", "https://example.com/apimart-sim"],
    ["HTTP://LAN-HOST:4010", "http://lan-host:4010"],
  ])("takes %j as the links' base %j", (value, base) => {
    expect(toBaseUrl(value)).toBe(base);
    expect(resolveSimulatorOptions({ ...BASE, publicUrl: value }).publicUrl).toBe(base);
  });

  it.each([
    "192.168.1.20:4010",
    "/files",
    "ftp://host/",
    "http://user:pass@host:4010",
    "http://host:4010/?x=1",
    "http://host:4010/#top",
    "",
  ])("refuses %j with an error naming the option", (value) => {
    expect(toBaseUrl(value)).toBeNull();
    expect(() => resolveSimulatorOptions({ ...BASE, publicUrl: value })).toThrow(
      /^Invalid simulator option: publicUrl must be an absolute http\(s\) URL/,
    );
  });

  it("is unset by default, so links use the address the simulator listens on", () => {
    expect(resolveSimulatorOptions(BASE).publicUrl).toBeUndefined();
  });
});
