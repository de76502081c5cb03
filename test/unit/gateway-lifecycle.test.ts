import { composeGateway, type Composition } from "../../src/app/composition";
import { loadConfig, type Config } from "../../src/app/config";
import { startGateway } from "../../src/app/gateway";
import { createLogger } from "../../src/observability/logger";
import { FAST_ENV, tempDatabasePath } from "../helpers/test-gateway";

describe("the gateway's lifecycle when one phase fails", () => {
  const logger = createLogger("silent");
  let config: Config;
  let cleanup: () => void;
  let parts: Composition;
  let pollerStops: number;

  beforeEach(async () => {
    const database = tempDatabasePath();
    cleanup = database.cleanup;
    config = loadConfig({ ...FAST_ENV, DATABASE_PATH: database.databasePath });
    parts = await composeGateway(config, logger);
    // Counts the poller's stops, and lets each one do its work.
    pollerStops = 0;
    const stopPoller = parts.poller.stop.bind(parts.poller);
    parts.poller.stop = (graceMs) => ((pollerStops += 1), stopPoller(graceMs));
  });
  afterEach(() => cleanup());

  /** Makes `phase` of `target` do its work and then throw. */
  function failAfter<T extends object, K extends keyof T>(target: T, phase: K, message: string) {
    const original = (target[phase] as (...args: unknown[]) => Promise<unknown>).bind(target);
    Object.assign(target, {
      [phase]: async (...args: unknown[]) => {
        await original(...args);
        throw new Error(message);
      },
    });
  }

  const storeIsClosed = () =>
    parts.adapters.store.ping().then(
      () => false,
      () => true,
    );

  it("a stop whose transports fail to stop still stops polling and closes the store, then reports the failure", async () => {
    const gateway = await startGateway(parts, config, logger);
    failAfter(parts.transports.apollo, "stop", "Apollo could not stop");

    await expect(gateway.stop()).rejects.toThrow("Apollo could not stop");

    expect(pollerStops).toBe(1);
    expect(await storeIsClosed()).toBe(true);
    expect(parts.transports.httpServer.listening).toBe(false);
  });

  it("a start that fails once polling has started stops the poller, the transports and the store", async () => {
    failAfter(parts.poller, "start", "polling could not start");

    await expect(startGateway(parts, config, logger)).rejects.toThrow("polling could not start");

    expect(pollerStops).toBe(1);
    expect(await storeIsClosed()).toBe(true);
    expect(parts.transports.httpServer.listening).toBe(false);
  });
});
