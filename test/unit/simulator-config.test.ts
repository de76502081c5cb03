import { ConfigError } from "../../src/app/env.schema";
import { loadSimulatorConfig } from "../../src/app/simulator.config";

describe("loadSimulatorConfig (npm run simulator)", () => {
  it("defaults to 127.0.0.1:4010, the gateway's simulator timings, no key and no state file", () => {
    expect(loadSimulatorConfig({})).toEqual({
      port: 4010,
      host: "127.0.0.1",
      apiKey: undefined,
      queuedMs: 2000,
      processingMs: 18_000,
      failureRate: 0,
      publicUrl: undefined,
      statePath: undefined,
    });
  });

  it("reads every SIMULATOR_* variable, treating empty values as unset", () => {
    expect(
      loadSimulatorConfig({
        SIMULATOR_PORT: "0",
        SIMULATOR_HOST: "0.0.0.0",
        SIMULATOR_API_KEY: "secret",
        SIMULATOR_QUEUED_MS: "50",
        SIMULATOR_PROCESSING_MS: "200",
        SIMULATOR_FAILURE_RATE: "0.25",
        SIMULATOR_PUBLIC_URL: "http://192.168.1.20:4010/",
        SIMULATOR_STATE_PATH: "./data/simulator-state.jsonl",
      }),
    ).toEqual({
      port: 0,
      host: "0.0.0.0",
      apiKey: "secret",
      queuedMs: 50,
      processingMs: 200,
      failureRate: 0.25,
      publicUrl: "http://192.168.1.20:4010",
      statePath: "./data/simulator-state.jsonl",
    });
    expect(loadSimulatorConfig({ SIMULATOR_API_KEY: "" }).apiKey).toBeUndefined();
  });

  it.each([
    ["SIMULATOR_PORT", "abc"],
    ["SIMULATOR_PORT", "70000"],
    ["SIMULATOR_PORT", "-1"],
    ["SIMULATOR_QUEUED_MS", "1.5"],
    ["SIMULATOR_PROCESSING_MS", "soon"],
    ["SIMULATOR_FAILURE_RATE", "1.5"],
    ["SIMULATOR_FAILURE_RATE", "-0.1"],
  ])("refuses %s=%s with a one-line message naming the variable", (name, value) => {
    const error = (() => {
      try {
        loadSimulatorConfig({ [name]: value });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error("accepted");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`${name}: .*"${value}"`));
    expect(error.message).not.toContain("\n");
  });

  it.each(["192.168.1.20:4010", "http://user:secret@host:4010", "http://host/?a=1"])(
    "refuses SIMULATOR_PUBLIC_URL=%s, naming the variable but not echoing the URL",
    (value) => {
      expect(() => loadSimulatorConfig({ SIMULATOR_PUBLIC_URL: value })).toThrow(
        /SIMULATOR_PUBLIC_URL: /,
      );
      expect(() => loadSimulatorConfig({ SIMULATOR_PUBLIC_URL: value })).not.toThrow(value);
    },
  );
});
