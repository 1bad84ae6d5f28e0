import { describe, expect, it } from "vitest";

import { acceptsMediaType, sniffMediaType } from "./sniff";

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

  it("accepts media types per declared file type", () => {
    expect(acceptsMediaType("dataset", "text/csv")).toBe(true);
    expect(acceptsMediaType("dataset", "text/x-source")).toBe(false);
    expect(acceptsMediaType("document", "application/pdf")).toBe(true);
    expect(acceptsMediaType("document", "image/png")).toBe(false);
    expect(acceptsMediaType("code", "text/x-source")).toBe(true);
    expect(acceptsMediaType("code", "application/pdf")).toBe(false);
  });
});
