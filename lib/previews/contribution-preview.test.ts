import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { addContent } from "@/lib/ipfs/content";
import { MAX_ENTRIES } from "@/lib/previews/archives";
import { storedZip } from "@/test/archive-builders";
import { setupTestIpfs } from "@/test/ipfs";

import { PREVIEW_BUDGET, computePreview, type StoredFile } from "./contribution-preview";

const previewContribution = async (file: StoredFile) => (await computePreview(file)).preview;

setupTestIpfs("preview");

async function* chunks(bytes: Uint8Array, size = 256 * 1024) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function stored(bytes: Uint8Array, mediaType: string) {
  const pending = await addContent(chunks(bytes));
  return { cid: pending.content.cid, size: bytes.length, mediaType };
}
const fixture = (name: string) => readFileSync(path.join(process.cwd(), "test/fixtures/formats", name));

/** A stored zip of `n` small files. */
const zipOf = (n: number) => Buffer.concat([...storedZip(n, (i) => ({ name: `dir/file-${i}.txt`, data: Buffer.from(`${i}\n`) }))]);

describe("previews from the IPFS node, by ranged reads", () => {
  it("lists a repository zip and a tar, and shows a NumPy array's header", async () => {
    const zip = await previewContribution(await stored(fixture("repo.zip"), "application/zip"));
    expect(zip).toMatchObject({ kind: "archive", listing: { format: "zip", partial: false } });
    const tar = await previewContribution(await stored(fixture("repo.tar"), "application/x-tar"));
    expect(tar.kind === "archive" && tar.listing.entries.map((e) => e.path)).toContain("repo/src/module.py");
    const tgz = await previewContribution(await stored(fixture("repo.tar.gz"), "application/gzip"));
    expect(tgz.kind === "archive" && tgz.listing.entries.map((e) => e.path)).toContain("repo/src/module.py");
    expect(await previewContribution(await stored(fixture("rows.csv.gz"), "application/gzip"))).toMatchObject({ kind: "table", format: "csv" });
    expect(await previewContribution(await stored(fixture("rows.csv.zst"), "application/zstd"))).toMatchObject({ kind: "table", format: "csv" });
    const txz = await previewContribution(await stored(fixture("repo.tar.xz"), "application/x-xz"));
    expect(txz.kind === "archive" && txz.listing.entries.map((e) => e.path)).toEqual(["repo/", "repo/src/", "repo/src/module.py", "repo/README.md", "repo/LICENSE"]);
    expect(await previewContribution(await stored(fixture("rows.csv.xz"), "application/x-xz"))).toMatchObject({ kind: "table", format: "csv" });
    const parquet = await previewContribution(await stored(fixture("table.parquet"), "application/vnd.apache.parquet"));
    expect(parquet).toMatchObject({ kind: "table", format: "parquet", total_rows: 1000 });
    expect(await previewContribution(await stored(fixture("sensors.sqlite"), "application/vnd.sqlite3"))).toMatchObject({ kind: "table", format: "sqlite", table: "stations", tables: ["stations", "readings"], total_rows: 12 });
    expect(await previewContribution(await stored(fixture("table.arrow"), "application/vnd.apache.arrow.file"))).toMatchObject({ kind: "table", format: "arrow" });
    expect(await previewContribution(await stored(fixture("report.pdf"), "application/pdf"))).toMatchObject({ kind: "pdf", pages: 3, text: expect.stringContaining("Field report") });
    const npy = await previewContribution(await stored(fixture("array.npy"), "application/x-npy"));
    expect(npy).toMatchObject({ kind: "array", array: { dtype: "<f4", shape: [64, 8] } });
  });

  it("says a malformed file cannot be read, without failing", async () => {
    expect(await previewContribution(await stored(fixture("broken.zip"), "application/zip"))).toMatchObject({ kind: "unreadable", reason: expect.stringMatching(/end-of-central-directory/) });
    expect(await previewContribution(await stored(fixture("broken.npy"), "application/x-npy"))).toMatchObject({ kind: "unreadable" });
  });

  it("lists a 10,000-file zip from its tail, within the reading budget; 200 entries shown", async () => {
    const bytes = zipOf(MAX_ENTRIES);
    const preview = await previewContribution(await stored(bytes, "application/zip"));
    expect(preview).toMatchObject({ kind: "archive", shown: 200, listing: { declared_entries: MAX_ENTRIES, partial: false } });
    expect(bytes.length).toBeLessThan(PREVIEW_BUDGET);
  });

  it("leaves other binary data as 'no preview'", async () => {
    expect(await previewContribution(await stored(randomBytes(5000), "application/octet-stream"))).toEqual({ kind: "binary", media_type: "application/octet-stream" });
  });
});
