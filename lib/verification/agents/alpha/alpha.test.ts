import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { sniffMediaType } from "@/lib/formats/sniff";
import { bytesReader } from "@/lib/previews/reader";

import { agentInput, type InspectBounds } from "../inspect";
import type { AgentInput, AgentVerdict } from "../types";

import { runAlpha } from "./index";

const FIXTURES = path.join(__dirname, "fixtures");
const FORMATS = path.join(__dirname, "../../../../test/fixtures/formats");
const BOUNDS: InspectBounds = { maxFiles: 200, maxBytes: 8 * 1024 * 1024 };
const THRESHOLD = 70;

/** The agent's input as the job builds it — the real inspection, over the fixture's bytes by ranges. */
async function input(file: string, fileType: AgentInput["fileType"], o: { dir?: string; bounds?: InspectBounds; description?: string } = {}): Promise<AgentInput> {
  const bytes = readFileSync(path.join(o.dir ?? FIXTURES, file));
  const bounds = o.bounds ?? BOUNDS;
  const meta = { fileType, mediaType: sniffMediaType(bytes.subarray(0, 65536), file, bytes.length <= 65536), fileName: file, size: bytes.length, title: file, description: o.description ?? "", metadata: {} };
  return agentInput(meta, bytesReader(bytes, bounds.maxBytes), bounds);
}

const review = async (...args: Parameters<typeof input>): Promise<AgentVerdict> => runAlpha(await input(...args));
const scoreOf = (v: AgentVerdict) => {
  expect(v.voteScore, v.reasoning).not.toBeNull();
  return v.voteScore!;
};

describe("alpha agent", () => {
  it.each([
    ["code", "good-code.py", "bad-code.py", ["quality", "originality", "security", "documentation"]],
    ["dataset", "good-dataset.csv", "bad-dataset.csv", ["quality", "originality", "utility", "documentation"]],
    ["document", "good-document.md", "bad-document.txt", ["quality", "originality", "accuracy", "completeness"]],
  ] as const)("discriminates real from bad %s by at least 20 points", async (type, good, bad, keys) => {
    const g = await review(good, type);
    const b = await review(bad, type);
    expect(Object.keys(g.subScores).sort()).toEqual([...keys].sort());
    for (const v of [...Object.values(g.subScores), ...Object.values(b.subScores), scoreOf(g), scoreOf(b)]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    expect(scoreOf(g) - scoreOf(b), `${good}=${g.voteScore} ${bad}=${b.voteScore}`).toBeGreaterThanOrEqual(20);
    expect(scoreOf(g), g.reasoning).toBeGreaterThanOrEqual(THRESHOLD);
    expect(scoreOf(b)).toBeLessThan(THRESHOLD);
    expect(b.reasoning.length).toBeGreaterThan(10);
  });

  it.each([
    ["code", "trivial-code.py"],
    ["code", "trivial-repo.zip"],
    ["dataset", "trivial-dataset.csv"],
    ["document", "trivial-document.txt"],
    ["document", "trivial-document.pdf"],
  ] as const)("scores trivial work well below the threshold, however clean: %s %s", async (type, file) => {
    const v = await review(file, type, { description: "A carefully written, well documented contribution of great value." });
    expect(scoreOf(v), v.reasoning).toBeLessThanOrEqual(THRESHOLD - 25);
    expect(v.details.substance as number).toBeLessThan(25);
  });

  it.each([
    ["code", "repo.zip"],
    ["code", "repo.tar.gz"],
    ["dataset", "good-dataset.parquet"],
    ["dataset", "datasets.tar"],
    ["document", "good-document.docx"],
    ["document", "good-document.pdf"],
  ] as const)("judges real work inside containers and binary formats: %s %s", async (type, file) => {
    const v = await review(file, type);
    expect(scoreOf(v), v.reasoning).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it("reads a repository's source files, README, licence and tests, and aggregates them into one score", async () => {
    const zip = await review("repo.zip", "code");
    const tgz = await review("repo.tar.gz", "code");
    expect(zip.details).toMatchObject({ files: 6, tests: true, license: true, repository: { readme: true, licenseFile: true, testFiles: 1, sourceFiles: 6 } });
    // The same repository, zipped or tarred and gzipped, is the same work.
    expect(tgz.voteScore).toBe(zip.voteScore);
    expect(tgz.subScores).toEqual(zip.subScores);
  });

  it("lists the worst findings of a repository with the files they are in", async () => {
    const clean = await review("repo.zip", "code");
    const v = await review("repo-with-secrets.zip", "code");
    expect(scoreOf(v)).toBeLessThan(scoreOf(clean) - 15);
    expect(v.reasoning).toMatch(/secret.*jsonkit\/jsonkit\/legacy\.py/);
    expect((v.details.worst as { path: string }[])[0]!.path).toBe("jsonkit/jsonkit/legacy.py");
    expect(v.subScores.security).toBeLessThan(30);
  });

  it("does not take RegExp#exec, template literals or test code for dangerous calls", async () => {
    const js = Buffer.from(["const WORD = /\\w+/g;", "export function words(text) {", "  const out = [];", "  for (let m = WORD.exec(text); m; m = WORD.exec(text)) out.push(`${m[0]}:${m.index}`);", "  return out;", "}", ""].join("\n"));
    const meta = { fileType: "code" as const, mediaType: "text/x-source", fileName: "words.js", size: js.length, title: "words", description: "", metadata: {} };
    expect((await runAlpha(await agentInput(meta, bytesReader(js), BOUNDS))).details).toMatchObject({ dangerousCalls: 0, secrets: 0 });
    const py = Buffer.from('def run(source):\n    return eval(source)\n');
    const evil = { ...meta, mediaType: "text/x-source", fileName: "run.py", size: py.length };
    expect((await runAlpha(await agentInput(evil, bytesReader(py), BOUNDS))).details).toMatchObject({ dangerousCalls: 1 });
  });

  it("reads a Parquet table like the same table as CSV", async () => {
    const csv = await review("good-dataset.csv", "dataset");
    const parquet = await review("good-dataset.parquet", "dataset");
    expect(parquet.details).toMatchObject({ format: "parquet", estimatedRows: 2000, columns: 8, header: true });
    expect(Math.abs(scoreOf(parquet) - scoreOf(csv))).toBeLessThanOrEqual(5);
  });

  it("checks a SQLite database's tables as it checks CSV", async () => {
    const v = await review("sensors.sqlite", "dataset", { dir: FORMATS });
    expect(v.details).toMatchObject({ tables: 2, estimatedRows: 3012, header: true });
    expect(scoreOf(v), v.reasoning).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it("checks every table inside an archive of datasets", async () => {
    const v = await review("datasets.tar", "dataset");
    expect(v.details).toMatchObject({ tables: 2, archiveFiles: 3, dataDictionary: true });
    expect((v.details.perTable as { path: string }[]).map((t) => t.path).sort()).toEqual(["weather/readings.csv", "weather/stations.csv"]);
  });

  it.each([
    ["dataset", "image.png"],
    ["dataset", "random.bin"],
    ["dataset", "sig-hdf5.h5"],
    ["dataset", "tone.wav"],
    ["document", "sig-cfb.doc"],
  ] as const)("abstains, with its reason, on a format it cannot judge: %s %s", async (type, file) => {
    const v = await review(file, type, { dir: FORMATS });
    expect(v.voteScore).toBeNull();
    expect(v.subScores).toEqual({});
    expect(v.reasoning).toMatch(/^Abstained: the agent cannot/);
    expect(v.details.abstained).toBe(true);
  });

  it.each([
    ["code", "broken.zip"],
    ["dataset", "broken.npy"],
    ["dataset", "sig-parquet.parquet"],
  ] as const)("scores a file that is not what its format says low, and says why: %s %s", async (type, file) => {
    const v = await review(file, type, { dir: FORMATS });
    expect(scoreOf(v)).toBeLessThan(30);
    expect(v.reasoning).toMatch(/cannot be read/);
  });

  it("reads at most AGENT_MAX_FILES files and AGENT_MAX_BYTES bytes", async () => {
    const two = await input("repo.zip", "code", { bounds: { maxFiles: 2, maxBytes: BOUNDS.maxBytes } });
    expect(two.inspection.files.map((f) => f.path).sort()).toEqual(["jsonkit/LICENSE", "jsonkit/README.md"]);
    const tight = { maxFiles: 200, maxBytes: 64 * 1024 };
    const big = Buffer.concat([readFileSync(path.join(FIXTURES, "good-dataset.csv")), ...Array.from({ length: 20 }, () => readFileSync(path.join(FIXTURES, "good-dataset.csv")).subarray(80))]);
    const meta = { fileType: "dataset" as const, mediaType: "text/csv", fileName: "big.csv", size: big.length, title: "big", description: "", metadata: {} };
    const bounded = await agentInput(meta, bytesReader(big, tight.maxBytes), tight);
    expect(bounded.inspection.bytesRead).toBeLessThanOrEqual(tight.maxBytes);
    const v = runAlpha(bounded);
    // Judged from the share it read, its size estimated from it.
    expect(v.details).toMatchObject({ bytesRead: tight.maxBytes });
    expect(v.details.estimatedRows as number).toBeGreaterThan(30_000);
  });

  it("checks the first 5,000 records of a long NDJSON file without counting the rest as failures", async () => {
    const text = Array.from({ length: 7000 }, (_, i) => JSON.stringify({ id: i, station: `ST${i % 40}`, reading: (i * 7919) % 1000, ok: i % 3 === 0 })).join("\n");
    const bytes = Buffer.from(text + "\n");
    const meta = { fileType: "dataset" as const, mediaType: "application/x-ndjson", fileName: "long.ndjson", size: bytes.length, title: "long", description: "", metadata: {} };
    const v = runAlpha(await agentInput(meta, bytesReader(bytes), BOUNDS));
    expect(v.reasoning).not.toMatch(/failed to parse/);
    expect(v.details).toMatchObject({ rowsSampled: 5000, estimatedRows: 7000 });
  });

  it("is deterministic", async () => {
    expect(await review("good-document.md", "document")).toEqual(await review("good-document.md", "document"));
  });
});
