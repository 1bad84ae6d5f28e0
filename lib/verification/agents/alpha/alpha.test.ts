import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { sniffMediaType } from "@/lib/formats/sniff";

import type { AgentInput } from "../types";

import { runAlpha } from "./index";

const FIXTURES = path.join(__dirname, "fixtures");

function input(file: string, fileType: AgentInput["fileType"], extra: Partial<AgentInput> = {}): AgentInput {
  const sample = readFileSync(path.join(FIXTURES, file));
  return {
    fileType,
    mediaType: sniffMediaType(sample.subarray(0, 65536), file, true),
    fileName: file,
    size: sample.length,
    title: file,
    description: "",
    metadata: {},
    sample,
    complete: true,
    ...extra,
  };
}

describe("alpha agent", () => {
  it.each([
    ["code", "good-code.py", "bad-code.py", ["quality", "originality", "security", "documentation"]],
    ["dataset", "good-dataset.csv", "bad-dataset.csv", ["quality", "originality", "utility", "documentation"]],
    ["document", "good-document.md", "bad-document.txt", ["quality", "originality", "accuracy", "completeness"]],
  ] as const)("discriminates good from bad %s by at least 20 points", (type, good, bad, keys) => {
    const g = runAlpha(input(good, type));
    const b = runAlpha(input(bad, type));
    expect(Object.keys(g.subScores).sort()).toEqual([...keys].sort());
    for (const v of [...Object.values(g.subScores), ...Object.values(b.subScores), g.voteScore, b.voteScore]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    expect(g.voteScore - b.voteScore, `${good}=${g.voteScore} ${bad}=${b.voteScore}`).toBeGreaterThanOrEqual(20);
    expect(g.voteScore).toBeGreaterThanOrEqual(70);
    expect(b.voteScore).toBeLessThan(70);
    expect(b.reasoning.length).toBeGreaterThan(10);
  });

  it("names what it found in bad code", () => {
    const b = runAlpha(input("bad-code.py", "code"));
    expect(b.details).toMatchObject({ secrets: expect.any(Number), dangerousCalls: expect.any(Number) });
    expect((b.details.secrets as number) >= 2).toBe(true);
    expect((b.details.dangerousCalls as number) >= 2).toBe(true);
    expect(b.reasoning).toMatch(/secret/);
    expect(b.subScores.security).toBeLessThan(30);
  });

  it("analyses a prefix of a large file, not the whole file", () => {
    const big = input("good-dataset.csv", "dataset", {});
    const verdict = runAlpha({ ...big, sample: big.sample.subarray(0, 4000), complete: false, size: 50_000_000 });
    expect(verdict.details.sampledBytes).toBe(4000);
    expect(verdict.voteScore).toBeGreaterThanOrEqual(60);
  });

  it("is deterministic", () => {
    expect(runAlpha(input("good-document.md", "document"))).toEqual(runAlpha(input("good-document.md", "document")));
  });
});
