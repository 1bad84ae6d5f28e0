import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { SNIFF_BYTES, acceptedFormats, acceptsMediaType, sniffMediaType } from "./sniff";

const FORMATS = path.join(process.cwd(), "test/fixtures/formats");
const manifest = JSON.parse(readFileSync(path.join(FORMATS, "MANIFEST.json"), "utf8")) as { files: { file: string; sha256: string; libmagic: string; expected: string }[] };
/** libmagic's names for what we call otherwise (same format, another spelling or a finer/coarser label). */
const LIBMAGIC_NAMES: Record<string, string> = {
  "audio/x-wav": "audio/wav",
  "application/x-sharedlib": "application/x-executable",
  "application/x-dosexec": "application/x-msdownload",
  "text/x-script.python": "text/x-source",
  "text/plain": "text/markdown", // libmagic has no Markdown rule
  "application/zip": "application/x-npz", // an .npz is a zip of .npy files
};

const enc = (s: string) => new TextEncoder().encode(s);

describe("content sniffing", () => {
  it.each([
    ["%PDF-1.7\n...", "paper.txt", "application/pdf"],
    ["PAR1\u0000\u0000", "data.parquet", "application/vnd.apache.parquet"],
    ["id,name,score\n1,a,3\n2,b,4\n", "x.txt", "text/csv"],
    ["id\tname\n1\ta\n2\tb\n", "x", "text/tab-separated-values"],
    ['{"a": [1, 2, 3]}', "x", "application/json"],
    ['{"a":1}\n{"a":2}\n', "x", "application/x-ndjson"],
    ["# Title\n\nSome *text* and [a link](https://x.y).\n", "x", "text/markdown"],
    ["import os\n\ndef main():\n    print('hi')\n", "x", "text/x-source"],
    ["plain words in a note\nand another line\n", "note", "text/plain"],
    ["<!DOCTYPE html><html><body>x</body></html>", "x.txt", "text/html"],
    ["anything", "main.rs", "text/x-source"],
  ])("%j (%s) → %s", (content, name, type) => {
    expect(sniffMediaType(enc(content), name, true)).toBe(type);
  });

  it("ignores what the client claims: PNG bytes named .csv are an image", () => {
    expect(sniffMediaType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), "data.csv", true)).toBe("image/png");
  });

  it("treats binary with NUL bytes as octet-stream", () => {
    expect(sniffMediaType(new Uint8Array([1, 2, 0, 3]), "x.txt", true)).toBe("application/octet-stream");
  });

  it("tolerates a UTF-8 character cut at the end of a prefix", () => {
    const bytes = enc("héllo wörld ünïcode\n".repeat(10));
    expect(sniffMediaType(bytes.subarray(0, bytes.length - 1), "x", false)).toBe("text/plain");
  });

  describe.each(manifest.files)("fixture $file", ({ file, sha256, libmagic, expected }) => {
    const bytes = readFileSync(path.join(FORMATS, file));
    it(`is recognised as ${expected} (libmagic: ${libmagic})`, () => {
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256);
      expect(sniffMediaType(bytes.subarray(0, SNIFF_BYTES), file, bytes.length <= SNIFF_BYTES)).toBe(expected);
      // Where the reference implementation knows the format, it agrees.
      if (libmagic !== "application/octet-stream") expect(LIBMAGIC_NAMES[libmagic] === expected || libmagic === expected).toBe(true);
    });
  });

  it("does not take text for a binary format that shares its first letters", () => {
    expect(sniffMediaType(enc("BMI,weight,height\n21,70,1.8\n22,80,1.9\n"), "bmi.csv", true)).toBe("text/csv");
    expect(sniffMediaType(enc("ID3 tags explained\nline two\n"), "x", true)).toBe("text/plain");
    expect(sniffMediaType(enc("BZh what\nline two\n"), "x", true)).toBe("text/plain");
    expect(sniffMediaType(enc("GIF8 is not a gif\nline two\n"), "x", true)).toBe("text/plain");
  });

  it("accepts any dataset but programs and HTML, repositories as code, office and e-book containers as documents", () => {
    for (const type of ["application/octet-stream", "application/x-npy", "application/x-hdf5", "application/vnd.sqlite3", "application/x-tar", "application/x-7z-compressed", "image/webp", "audio/flac", "text/x-source"]) {
      expect(acceptsMediaType("dataset", type)).toBe(true);
    }
    for (const type of ["application/x-executable", "application/x-msdownload", "application/x-mach-binary", "text/html"]) expect(acceptsMediaType("dataset", type)).toBe(false);
    for (const type of ["application/zip", "application/x-tar", "application/gzip", "application/zstd"]) expect(acceptsMediaType("code", type)).toBe(true);
    expect(acceptsMediaType("code", "application/x-executable")).toBe(false);
    for (const type of ["application/epub+zip", "application/vnd.oasis.opendocument.text", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/x-ole-storage"]) {
      expect(acceptsMediaType("document", type)).toBe(true);
    }
    expect(acceptsMediaType("document", "application/zip")).toBe(false);
    expect(acceptedFormats("dataset")).toMatch(/^CSV, TSV, .*, images, audio, or any other data file \(not a program or HTML\)$/);
  });

  it("accepts media types per declared file type", () => {
    expect(acceptsMediaType("dataset", "text/csv")).toBe(true);
    expect(acceptsMediaType("document", "application/pdf")).toBe(true);
    expect(acceptsMediaType("document", "image/png")).toBe(false);
    expect(acceptsMediaType("code", "text/x-source")).toBe(true);
    expect(acceptsMediaType("code", "application/pdf")).toBe(false);
  });
});

describe("accepted formats in words", () => {
  it("names every accepted media type of code and documents, and a dataset's recognised ones", () => {
    expect(acceptedFormats("dataset")).toMatch(/^CSV, TSV, JSON, NDJSON, Parquet, .*NumPy \.npy.*, images, audio, or any other data file/);
    expect(acceptedFormats("document")).toContain("PDF, Markdown, plain text");
    expect(acceptedFormats("code")).toContain("source code");
    for (const text of ["code", "dataset", "document"].map((t) => acceptedFormats(t as "code"))) expect(text).not.toMatch(/\b(text|application|image|audio|video)\//);
  });
});
