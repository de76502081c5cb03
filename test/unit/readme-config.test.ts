import fs from "node:fs";
import path from "node:path";
import { envSchema, simulatorEnvSchema } from "../../src/app/env.schema";

/** The README's section under `## <title>`, up to the next top-level heading. */
function section(title: string): string {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every backticked variable in the first column of the section's tables (`PORT` / `HOST` is two). */
function tabledVariables(text: string): string[] {
  return [...text.matchAll(/^\|([^|]+)\|/gm)].flatMap((row) =>
    [...row[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]),
  );
}

describe("the README's configuration tables", () => {
  // The Configuration table, and the abuse limits' table in Security.
  const documented = new Set([
    ...tabledVariables(section("Configuration")),
    ...tabledVariables(section("Security")),
  ]);
  const read = new Set([...Object.keys(envSchema.shape), ...Object.keys(simulatorEnvSchema.shape)]);

  it("list every environment variable the gateway and the simulator read", () => {
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
  });

  it("list no variable that they do not read", () => {
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
