// Bundles the demo page (src/web) into dist/web: index.html plus content-hashed assets, so the
// server can cache assets for a year and the page itself not at all. Run by `npm run build`.
import fs from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "../..");
const source = path.join(root, "src/web");
const out = path.join(root, "dist/web");
const assets = path.join(out, "assets");

await fs.rm(out, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: path.join(source, "main.ts"), styles: path.join(source, "styles.css") },
  outdir: assets,
  entryNames: "[name]-[hash]",
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "esm",
  platform: "browser",
  // Browsers of the last few years, phones included; esbuild lowers newer syntax for them.
  target: ["chrome100", "firefox100", "safari15"],
  tsconfig: path.join(source, "tsconfig.json"),
  metafile: true,
  logLevel: "warning",
});

/** `assets/main.js` in the template becomes `assets/main-<hash>.js`, and so on. */
let html = await fs.readFile(path.join(source, "index.html"), "utf8");
const sizes = [];
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  if (!meta.entryPoint || output.endsWith(".map")) continue;
  const hashed = path.basename(output);
  const plain = `assets/${hashed.replace(/-[A-Z0-9]+(\.\w+)$/, "$1")}`;
  if (!html.includes(`"${plain}"`)) throw new Error(`src/web/index.html does not link ${plain}`);
  html = html.replace(`"${plain}"`, `"assets/${hashed}"`);
  sizes.push(`${hashed} ${(meta.bytes / 1024).toFixed(1)} KiB`);
}
await fs.writeFile(path.join(out, "index.html"), html);
process.stdout.write(`demo page: dist/web (${sizes.join(", ")})\n`);
