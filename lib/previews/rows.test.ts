import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { addContent } from "@/lib/ipfs/content";
import { setupTestIpfs } from "@/test/ipfs";

import { tableRows } from "./rows";

setupTestIpfs("rows");

async function* once(bytes: Uint8Array) {
  yield bytes;
}
async function stored(bytes: Uint8Array, mediaType: string) {
  const pending = await addContent(once(bytes));
  return { cid: pending.content.cid, size: bytes.length, mediaType };
}
const read = (p: string) => readFileSync(path.join(process.cwd(), p));
const csvLines = read("lib/verification/agents/alpha/fixtures/good-dataset.csv").toString("utf8").trim().split(/\r?\n/);

describe("rows of a table, a page at a time", () => {
  it("pages a Parquet file by its row groups' pages, agreeing with the same data as CSV", async () => {
    const file = await stored(read("lib/verification/agents/alpha/fixtures/good-dataset.parquet"), "application/vnd.apache.parquet");
    const page = await tableRows(file, 1_950);
    expect(page).toMatchObject({ offset: 1_950, next_offset: null, total_rows: 2000 });
    expect(page.columns).toEqual(csvLines[0]!.split(","));
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0]!.slice(0, 2)).toEqual(csvLines[1 + 1_950]!.split(",").slice(0, 2));
    expect((await tableRows(file, 500)).next_offset).toBe(600);
  });

  it("pages CSV and NDJSON from the start, and an Arrow file by its batches", async () => {
    const csv = await tableRows(await stored(read("lib/verification/agents/alpha/fixtures/good-dataset.csv"), "text/csv"), 100);
    expect(csv.rows[0]).toEqual(csvLines[101]!.split(","));
    expect(csv.next_offset).toBe(200);
    const ndjson = Buffer.from(Array.from({ length: 150 }, (_, i) => JSON.stringify({ n: i, even: i % 2 === 0 })).join("\n"));
    expect(await tableRows(await stored(ndjson, "application/x-ndjson"), 100)).toMatchObject({ columns: ["n", "even"], next_offset: null, total_rows: 150, rows: expect.arrayContaining([["149", "false"]]) });
    const arrow = await tableRows(await stored(read("test/fixtures/formats/table.arrow"), "application/vnd.apache.arrow.file"), 2_450);
    expect(arrow).toMatchObject({ columns: ["id", "station", "temperature"], next_offset: null, total_rows: 2500 });
    expect(arrow.rows[0]![0]).toBe("2450");
  });

  it("says a file that is not a table has no rows", async () => {
    await expect(tableRows(await stored(Buffer.from("hello"), "text/plain"), 0)).rejects.toThrow(/not a table/);
  });
});
