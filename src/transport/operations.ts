import { Router } from "express";

/** One thing the gateway needs to serve traffic; it throws (or rejects) when it is not there. */
export interface ReadinessCheck {
  /** Named in the /readyz answer, e.g. `store`, `draining`, later `redis`. */
  name: string;
  check(): Promise<void> | void;
}

export interface OperationsOptions {
  /** A check that has not answered by then counts as failed, so a hung database cannot hang the probe. */
  readinessTimeoutMs: number;
}

/**
 * `GET /healthz` (the process answers), `GET /readyz` (every readiness check passes: 200, else 503
 * naming the checks that failed) and, when given a scrape function, `GET /metrics` (Prometheus text).
 */
export function operationsRoutes(deps: {
  checks: readonly ReadinessCheck[];
  scrapeMetrics: (() => Promise<{ contentType: string; body: string }>) | null;
  options: OperationsOptions;
}): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      deps.checks.map(async ({ name, check }) => {
        const passed = await withTimeout(check, deps.options.readinessTimeoutMs);
        return [name, passed ? "ok" : "failed"] as const;
      }),
    );
    const ready = results.every(([, state]) => state === "ok");
    res
      .status(ready ? 200 : 503)
      .set("cache-control", "no-store")
      .json({ status: ready ? "ready" : "unavailable", checks: Object.fromEntries(results) });
  });
  const scrape = deps.scrapeMetrics;
  if (scrape) {
    router.get("/metrics", async (_req, res, next) => {
      try {
        const { contentType, body } = await scrape();
        res.set("content-type", contentType).send(body);
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}

async function withTimeout(check: () => Promise<void> | void, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>(
    (resolve) => (timer = setTimeout(resolve, timeoutMs, false)),
  );
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .then(
          () => true,
          () => false,
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
