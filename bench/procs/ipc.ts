/** The helper side of {@link startHelper}: announce readiness, answer typed requests, report events. */
export function serve(
  ready: unknown,
  handlers: Record<string, (payload: unknown) => unknown | Promise<unknown>>,
): void {
  process.on("message", async (message: { type: string; payload?: unknown }) => {
    const handler = handlers[message.type];
    if (!handler) return;
    const value = await handler(message.payload);
    process.send!({ reply: message.type, value });
  });
  process.once("SIGTERM", () => process.exit(0));
  process.once("disconnect", () => process.exit(0)); // the harness is gone: so are we
  process.send!({ reply: "ready", value: ready });
}

/** Reports an event the parent waits for with `helper.next(event)`. */
export function report(event: string, value: unknown): void {
  process.send!({ event, value });
}
