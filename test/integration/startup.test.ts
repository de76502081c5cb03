import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteTaskStore } from "../../src/store/sqlite/sqlite-task.store";
import { runFailingStart } from "../helpers/child-gateway";

/** Start-up (ts-node included) takes a few seconds on a busy machine; a hang is killed after this. */
const EXIT_WITHIN_MS = 20_000;

/** Makes a file read-only even for root, who ignores permission bits; undoes it in `restore`. */
function makeReadOnly(file: string): { restore: () => void } {
  if (process.getuid?.() !== 0) {
    fs.chmodSync(file, 0o444);
    return { restore: () => fs.chmodSync(file, 0o644) };
  }
  const immutable = spawnSync("chattr", ["+i", file]);
  if (immutable.status !== 0) throw new Error(`chattr +i failed: ${immutable.stderr}`);
  return { restore: () => void spawnSync("chattr", ["-i", file]) };
}

describe("start-up with a database it cannot use", () => {
  let dir: string;
  const undo: Array<() => void> = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "video-gateway-startup-"));
  });
  afterEach(() => {
    undo.splice(0).forEach((restore) => restore());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, () => string | Promise<string>, RegExp]> = [
    ["a folder under /proc that cannot exist", () => "/proc/nonexistent/x/gw.db", /ENOENT/],
    ["a file under /proc", () => "/proc/gw.db", /unable to open database file/],
    ["an existing folder", () => dir, /unable to open database file/],
    [
      "a path through a regular file",
      () => {
        fs.writeFileSync(path.join(dir, "plain.txt"), "x");
        return path.join(dir, "plain.txt", "sub", "gw.db");
      },
      /ENOTDIR|EEXIST/,
    ],
    [
      "a path through a dangling symlink",
      () => {
        fs.symlinkSync(path.join(dir, "gone"), path.join(dir, "dangling"));
        return path.join(dir, "dangling", "gw.db");
      },
      /EEXIST|ENOENT/,
    ],
    [
      "a file that is not a database",
      () => {
        const file = path.join(dir, "gw.db");
        fs.writeFileSync(file, "not a database ".repeat(100));
        return file;
      },
      /file is not a database/,
    ],
    [
      "a read-only database",
      async () => {
        const file = path.join(dir, "gw.db");
        await new SqliteTaskStore(file).close();
        undo.push(makeReadOnly(file).restore);
        return file;
      },
      /readonly database/,
    ],
  ];

  it.each(cases)(
    "%s: exits non-zero within seconds with one line naming DATABASE_PATH",
    async (_what, databasePath, reason) => {
      const file = await databasePath();
      const result = await runFailingStart({ DATABASE_PATH: file }, EXIT_WITHIN_MS);

      expect(result.code).not.toBeNull();
      expect(result.code).not.toBe(0);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`DATABASE_PATH=${file}`);
      expect(lines[0]).toMatch(reason);
    },
  );
});
