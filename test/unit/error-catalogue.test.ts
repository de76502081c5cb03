import fs from "node:fs";
import path from "node:path";
import {
  CLIENT_VISIBLE_CODES,
  CloseCode,
  ErrorCode,
  RequestErrorCode,
  TaskErrorCode,
} from "../../src/domain/error-codes";

/** The README's "Errors" section, up to the next top-level heading. */
function errorsSection(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const start = readme.indexOf("\n## Errors\n");
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The backticked value in the first column of every table row of the section. */
function documentedCodes(section: string): string[] {
  return [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((match) => match[1]);
}

describe("the error catalogue", () => {
  const documented = documentedCodes(errorsSection());

  it("is documented in full by the README's Errors section, and nothing else is", () => {
    const catalogue = [
      ...CLIENT_VISIBLE_CODES.errors,
      ...CLIENT_VISIBLE_CODES.taskErrors,
      ...CLIENT_VISIBLE_CODES.closeCodes.map(String),
    ];
    expect([...documented].sort()).toEqual([...catalogue].sort());
  });

  it("is where the code takes its close codes from: no socket is closed with a bare number", () => {
    const sources = fs
      .readdirSync(path.resolve(__dirname, "../../src"), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => [file, fs.readFileSync(path.resolve(__dirname, "../../src", file), "utf8")]);
    const bare = sources.filter(([, text]) => /\.close\(\s*\d{4}/.test(text)).map(([file]) => file);
    expect(bare).toEqual([]);
  });

  it("has no code in two lists", () => {
    const all = [
      ...Object.values(ErrorCode),
      ...Object.values(RequestErrorCode),
      ...Object.values(TaskErrorCode),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(CLIENT_VISIBLE_CODES.closeCodes).toContain(CloseCode.FORBIDDEN);
  });
});
