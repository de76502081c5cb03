import { loadSampleFiles, parseByteRange } from "../../src/simulator/simulator.files";

describe("parseByteRange", () => {
  it.each([
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-", { start: 100, end: 999 }],
    ["bytes=-100", { start: 900, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=990-5000", { start: 990, end: 999 }],
    ["bytes=999-999", { start: 999, end: 999 }],
    ["BYTES=0-0", { start: 0, end: 0 }],
    [" bytes= 0-1 ", { start: 0, end: 1 }],
  ])("reads %j of a 1000-byte file as %j", (header, range) => {
    expect(parseByteRange(header, 1000)).toEqual(range);
  });

  it.each(["bytes=1000-", "bytes=1000-2000", "bytes=-0"])(
    "finds %j unsatisfiable for a 1000-byte file",
    (header) => {
      expect(parseByteRange(header, 1000)).toBe("unsatisfiable");
    },
  );

  it.each([
    ["no header", undefined],
    ["another unit", "items=0-1"],
    ["several ranges", "bytes=0-1,5-9"],
    ["last before first", "bytes=9-5"],
    ["no numbers", "bytes=-"],
    ["a negative number", "bytes=--5"],
    ["garbage", "bytes=a-b"],
  ])("ignores %s (the whole file is sent)", (_name, header) => {
    expect(parseByteRange(header, 1000)).toBeUndefined();
  });
});

describe("loadSampleFiles", () => {
  it("finds a real MP4 (ftyp box, moov before mdat) and a JPEG, each well under 30 KB", () => {
    const { mp4, jpg } = loadSampleFiles();
    expect(mp4.contentType).toBe("video/mp4");
    expect(mp4.bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    const moov = mp4.bytes.indexOf("moov");
    expect(moov).toBeGreaterThan(0);
    expect(moov).toBeLessThan(mp4.bytes.indexOf("mdat"));
    expect(jpg.contentType).toBe("image/jpeg");
    expect(jpg.bytes.subarray(0, 3).toString("hex")).toBe("ffd8ff");
    for (const file of [mp4, jpg]) expect(file.bytes.length).toBeLessThan(30 * 1024);
    expect(mp4.etag).not.toBe(jpg.etag);
  });
});
