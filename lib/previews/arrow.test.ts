import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { arrowRecords, arrowTable } from "./arrow";
import { bytesReader, windowedReader } from "./reader";

const fixture = (name: string) => readFileSync(path.join(process.cwd(), "test/fixtures/formats", name));

describe("Arrow IPC previews by ranged reads", () => {
  it("reads the footer and the first record batches only", async () => {
    const bytes = fixture("table.arrow"); // 5 batches of 500 rows (apache-arrow's tableToIPC)
    // Small windows, so that what is read shows (the whole fixture fits one 64 KiB window).
    const reader = windowedReader(bytes.length, async (o, l) => bytes.subarray(o, o + l), { window: 1024, budget: bytes.length });
    const { names, rows, total } = await arrowRecords(reader, 1000);
    expect(names).toEqual(["id", "station", "temperature"]);
    expect(rows).toHaveLength(1000);
    expect(rows[0]).toEqual([0, "ST001", -10]);
    expect(rows[999]).toEqual([999, "ST004", ((999 * 7919) % 400 - 100) / 10]);
    expect(total).toBeUndefined();
    expect(reader.bytesRead).toBeLessThan(bytes.length * 0.6);
  });

  it("gives the row count when every batch was read, and a table preview", async () => {
    expect((await arrowRecords(bytesReader(fixture("table.arrow")), 10_000)).total).toBe(2500);
    const table = await arrowTable(bytesReader(fixture("table.arrow")));
    expect(table).toMatchObject({ kind: "table", format: "arrow", truncated: true });
    expect(table.rows).toHaveLength(100);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([["id", "integer"], ["station", "string"], ["temperature", "number"]]);
  });

  it("says a file that is not Arrow cannot be read", async () => {
    await expect(arrowRecords(bytesReader(fixture("sig-arrow.arrow")), 10)).rejects.toThrow(/not an Arrow IPC file/);
  });
});
