import { PassThrough } from "node:stream";
import { createLogger, prettyDestination } from "../../src/observability/logger";

describe("readable logs for development", () => {
  it("pino-pretty prints a line a person reads, with secrets still redacted", () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const logger = createLogger("info", prettyDestination({ destination: out, colorize: false }));
    logger.info(
      { authorization: "Bearer top-secret-token", config: { apimartApiKey: "sk-live-secret" } },
      "gateway listening",
    );
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: gateway listening\n/);
    expect(text).toContain("[redacted]");
    expect(text).not.toMatch(/top-secret-token|sk-live-secret/);
    expect(() => JSON.parse(text)).toThrow();
  });
});
