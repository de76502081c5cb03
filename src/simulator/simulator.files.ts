import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { errorReply, type SimulatorReply } from "./simulator.http";

/** One sample result file; every task serves the same bytes. */
export interface SampleFile {
  contentType: string;
  bytes: Buffer;
  etag: string;
}

export type SampleFiles = Record<"mp4" | "jpg", SampleFile>;

const ASSETS = { mp4: ["sample.mp4", "video/mp4"], jpg: ["sample.jpg", "image/jpeg"] } as const;

/**
 * Reads the committed samples (made by `assets/make-assets.sh`). tsc does not copy binaries to
 * `dist/`, so from `dist/src/simulator` they are found under the package root's `src/simulator/assets`.
 */
export function loadSampleFiles(): SampleFiles {
  const folder = assetsFolder();
  const load = ([name, contentType]: readonly [string, string]): SampleFile => {
    const bytes = fs.readFileSync(path.join(folder, name));
    const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`;
    return { contentType, bytes, etag };
  };
  return { mp4: load(ASSETS.mp4), jpg: load(ASSETS.jpg) };
}

function assetsFolder(): string {
  const candidates = [path.join(__dirname, "assets")];
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) {
      candidates.push(path.join(dir, "src", "simulator", "assets"));
      break;
    }
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, ASSETS.mp4[0])));
  if (!found) throw new Error(`simulator sample files not found in ${candidates.join(" or ")}`);
  return found;
}

/** A page on any origin may play the video or fetch it, Range requests included. */
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Accept-Ranges, Content-Length, Content-Range, ETag",
  "cross-origin-resource-policy": "cross-origin",
};

/** `OPTIONS /files/...`: a `fetch` with a suffix Range (`bytes=-n`) is preflighted. */
export function filePreflightReply(): SimulatorReply {
  const headers = {
    ...CORS_HEADERS,
    "access-control-allow-methods": "GET, HEAD, OPTIONS",
    "access-control-allow-headers": "Range, If-Range",
    "access-control-max-age": "86400",
  };
  return { status: 204, headers, body: "" };
}

/**
 * `GET/HEAD /files/<task id>.mp4|jpg`: public, like the upstream's result links. A single byte range
 * answers 206; several ranges, other units or a malformed header get the whole file (200).
 */
export function fileReply(
  files: SampleFiles,
  name: string,
  request: { range?: string; ifRange?: string },
): SimulatorReply {
  const match = /^task_[0-9A-Z]{26}\.(mp4|jpg)$/.exec(name);
  // Any well-formed task id: links stored before a restart without a state file keep working.
  if (!match) return errorReply(404, "File not found");
  const file = files[match[1] as keyof SampleFiles];
  const size = file.bytes.length;
  const headers: Record<string, string> = {
    "content-type": file.contentType,
    "accept-ranges": "bytes",
    etag: file.etag,
    // The bytes behind a task's link never change.
    "cache-control": "public, max-age=86400, immutable",
    ...CORS_HEADERS,
  };
  // If-Range names the version the client holds; another version means the whole file.
  const range =
    request.ifRange === undefined || request.ifRange === file.etag
      ? parseByteRange(request.range, size)
      : undefined;
  if (range === "unsatisfiable") {
    const unsatisfied = { ...CORS_HEADERS, "content-range": `bytes */${size}` };
    return { status: 416, headers: { "accept-ranges": "bytes", ...unsatisfied }, body: "" };
  }
  if (range === undefined) return { status: 200, headers, body: file.bytes };
  const { start, end } = range;
  headers["content-range"] = `bytes ${start}-${end}/${size}`;
  return { status: 206, headers, body: file.bytes.subarray(start, end + 1) };
}

/** First and last byte, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a `Range` header as RFC 9110 (section 14) defines it, for a single range of `bytes`:
 * `a-b`, `a-` or `-n`. Undefined means "answer with the whole file": no header, another unit,
 * several ranges, or a malformed one (which the RFC says to ignore).
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | undefined {
  const match = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first, last] = match;
  if (first === "") {
    const suffix = Number(last);
    return suffix === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return undefined;
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}
