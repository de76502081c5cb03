import fs from "node:fs";
import path from "node:path";
import { isFailureKind, type TaskJournal, type TaskRecord } from "./simulator.tasks";

/**
 * Records older than this are dropped when the file is compacted. TASK_DEADLINE_MS is at most 7 days,
 * so no gateway still polls, or resubmits under its Idempotency-Key, a task older than that.
 */
export const STATE_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * The simulator's tasks and `Idempotency-Key`s on disk, as JSON Lines: one accepted submit a line.
 * A submit appends its line (one small write, no fsync) before it is answered, so whatever a client
 * was told survives a crash of the process; the file is compacted (temp file, fsync, rename) when
 * opened, which also drops a line torn by a crash.
 */
export class SimulatorStateFile implements TaskJournal {
  private constructor(private fd: number | undefined) {}

  /** Reads and compacts the file (creating it and its folder if missing), then opens it for appending. */
  static open(
    filePath: string,
    nowMs = Date.now(),
  ): { file: SimulatorStateFile; records: TaskRecord[] } {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    const records = readRecords(filePath).filter(
      (record) => record.createdMs >= nowMs - STATE_RETENTION_MS,
    );
    const temp = `${filePath}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, "w");
    try {
      fs.writeSync(fd, records.map(toLine).join(""));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, filePath);
    return { file: new SimulatorStateFile(fs.openSync(filePath, "a")), records };
  }

  append(record: TaskRecord): void {
    if (this.fd === undefined) throw new Error("the simulator's state file is closed");
    const line = Buffer.from(toLine(record));
    if (fs.writeSync(this.fd, line) !== line.length) {
      throw new Error("the simulator's state file took a partial write (disk full?)");
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function toLine(record: TaskRecord): string {
  return `${JSON.stringify(record)}\n`;
}

function readRecords(filePath: string): TaskRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      const value: unknown = JSON.parse(line);
      if (!isTaskRecord(value)) return [];
      const { id, createdMs, queuedMs, processingMs, failure, key } = value;
      const optional = { ...(failure && { failure }), ...(key !== undefined && { key }) };
      return [{ id, createdMs, queuedMs, processingMs, ...optional }];
    } catch {
      return [];
    }
  });
}

function isTaskRecord(value: unknown): value is TaskRecord {
  if (typeof value !== "object" || value === null) return false;
  const { id, createdMs, queuedMs, processingMs, failure, key } = value as Record<string, unknown>;
  return (
    typeof id === "string" &&
    /^task_[0-9A-Z]{26}$/.test(id) &&
    [createdMs, queuedMs, processingMs].every(Number.isFinite) &&
    (failure === undefined || isFailureKind(failure)) &&
    (key === undefined || typeof key === "string")
  );
}
