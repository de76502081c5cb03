import fs from "node:fs";
import path from "node:path";

/**
 * Where `npm run build` put the demo page: `<package root>/dist/web`. The package root is the first
 * folder up from here with a package.json, which is the same from `src/app` (ts-node, jest) and
 * from `dist/src/app` (`npm start`). Null when the page has not been built.
 */
export function findWebPage(from: string = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) {
      const root = path.join(dir, "dist", "web");
      return fs.existsSync(path.join(root, "index.html")) ? root : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}
