import "reflect-metadata";
import { createLogger, prettyDestination } from "../observability/logger";
import { loadConfig } from "./config";
import { ConfigError } from "./env.schema";
import { createGateway } from "./gateway";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // A developer at a terminal reads lines; anything else (a log collector, a pipe) gets JSON.
  const readable = process.stdout.isTTY === true && !config.production;
  const logger = createLogger(config.logLevel, readable ? prettyDestination() : undefined);
  const gateway = await createGateway(config, logger);
  process.stdout.write(
    `video-gateway ready at ${gateway.url} (instance ${gateway.instanceId})\n` +
      `demo page at ${new URL("/", gateway.url).href}\n`,
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("graceful shutdown took too long; exiting");
      process.exit(1);
    }, config.shutdown.totalMs);
    timer.unref();
    gateway.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  process.stderr.write(
    `video-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
