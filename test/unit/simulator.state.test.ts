import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SimulatorStateFile, STATE_RETENTION_MS } from "../../src/simulator/simulator.state";
import type { TaskRecord } from "../../src/simulator/simulator.tasks";

const NOW = Date.UTC(2026, 0, 1);
const TIMINGS = { queuedMs: 2000, processingMs: 18_000 };
const A: TaskRecord = {
  id: "task_01K9S419324DREZFBWNSVXYR6H",
  createdMs: NOW - 1000,
  ...TIMINGS,
  key: "k-a",
};
const B: TaskRecord = {
  id: "task_01K9S419324DREZFBWNSVXYR6J",
  createdMs: NOW,
  ...TIMINGS,
  failure: "internal",
};

let dir: string;
let open: SimulatorStateFile[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "simulator-state-test-"));
  open = [];
});
afterEach(() => {
  open.forEach((file) => file.close());
  fs.rmSync(dir, { recursive: true, force: true });
});

function openState(filePath: string, nowMs = NOW): TaskRecord[] {
  const { file, records } = SimulatorStateFile.open(filePath, nowMs);
  open.push(file);
  return records;
}

describe("SimulatorStateFile", () => {
  it("creates the file and its folder, and gives back on reopening every record appended", () => {
    const filePath = path.join(dir, "nested", "state.jsonl");
    expect(openState(filePath)).toEqual([]);
    open[0].append(A);
    open[0].append(B);
    open[0].close();
    expect(openState(filePath)).toEqual([A, B]);
  });

  it("skips a line torn by a crash and lines it cannot read, and compacts them away", () => {
    const filePath = path.join(dir, "state.jsonl");
    const noTimings = JSON.stringify({ id: B.id, createdMs: NOW });
    const lines = [
      JSON.stringify(A),
      "not json",
      '{"id":"task_short","createdMs":1}',
      noTimings,
      "",
    ];
    fs.writeFileSync(filePath, `${lines.join("\n")}${JSON.stringify(B).slice(0, 20)}`);
    expect(openState(filePath)).toEqual([A]);
    expect(fs.readFileSync(filePath, "utf8")).toBe(`${JSON.stringify(A)}\n`);
    open[0].append(B);
    expect(openState(filePath)).toEqual([A, B]);
  });

  it("drops records older than the retention when it opens the file", () => {
    const filePath = path.join(dir, "state.jsonl");
    const old: TaskRecord = { ...A, createdMs: NOW - STATE_RETENTION_MS - 1 };
    fs.writeFileSync(filePath, `${JSON.stringify(old)}\n${JSON.stringify(B)}\n`);
    expect(openState(filePath)).toEqual([B]);
    expect(fs.readdirSync(dir)).toEqual(["state.jsonl"]);
  });

  it("refuses to append once closed, so a submit after close is not silently forgotten", () => {
    const filePath = path.join(dir, "state.jsonl");
    openState(filePath);
    open[0].close();
    expect(() => open[0].append(A)).toThrow(/closed/);
  });
});
