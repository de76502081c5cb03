import fs from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";

export interface WebPageOptions {
  /**
   * The built demo page: `index.html` and `assets/` (written by `npm run build`). Null when it was
   * not built; `/` then says so with a 503.
   */
  root: string | null;
}

/** Asset names carry a hash of their content (src/tools/build-web.mjs), so they never change. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3_600_000;

/** A Host header that can be written into a policy as it is: a name or address, and a port. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The demo page at `/` and its assets under `/assets/`. The page may reach only its own origin
 * (HTTP and WebSocket); videos and thumbnails may come from anywhere, since real ones live on the
 * upstream's CDN. `/graphql` and its development landing page are not touched.
 */
export function createWebPageRouter(options: WebPageOptions): Router {
  const router = express.Router();
  const html = options.root ? readIndex(options.root) : null;
  router.get("/", (req, res) => {
    if (html === null) {
      res
        .status(503)
        .type("text/plain")
        .send("The demo page is not built: run `npm run build`, then restart the gateway.\n");
      return;
    }
    securityHeaders(res);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(req));
    // Revalidated on every load (ETag): a browser never keeps a page naming assets a newer build removed.
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(html);
  });
  if (options.root) {
    router.use(
      "/assets",
      express.static(path.join(options.root, "assets"), {
        immutable: true,
        maxAge: ASSET_MAX_AGE_MS,
        index: false,
        redirect: false,
        setHeaders: securityHeaders,
      }),
    );
  }
  router.use("/assets", (_req, res) => {
    res.status(404).type("text/plain").send("Not found\n");
  });
  return router;
}

function readIndex(root: string): string | null {
  try {
    return fs.readFileSync(path.join(root, "index.html"), "utf8");
  } catch {
    return null;
  }
}

function securityHeaders(res: Pick<Response, "setHeader">): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
}

/**
 * Scripts and styles only from this origin, no inline code; API calls to this origin, over HTTP
 * and WebSocket (`'self'` covers ws: and wss: in current browsers, the explicit host in the others);
 * media and images from anywhere.
 */
export function contentSecurityPolicy(req: Request): string {
  const host = req.headers.host;
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${sockets}`,
    "img-src * data:",
    "media-src *",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
