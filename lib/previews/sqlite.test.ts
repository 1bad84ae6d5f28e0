import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { bytesReader, windowedReader } from "./reader";
import { sqliteTables } from "./sqlite";

const dir = path.join(process.cwd(), "test/fixtures/formats");
const fixture = (name: string) => readFileSync(path.join(dir, name));
/** What python's sqlite3 read back from sensors.sqlite (tables.json). */
const reference = JSON.parse(readFileSync(path.join(dir, "tables.json"), "utf8"))["sensors.sqlite"] as { tables: string[]; columns: string[]; count: number; first: unknown[][]; row500_note_length: number };

describe("SQLite tables from byte ranges", () => {
  it("lists the tables and reads rows as sqlite3 does: integer primary keys, reals, text, blobs, nulls", async () => {
    const { names, tables } = await sqliteTables(bytesReader(fixture("sensors.sqlite")), 10, 2);
    expect(names).toEqual(reference.tables);
    const readings = tables.find((t) => t.name === "readings")!;
    expect(readings.columns).toEqual(reference.columns);
    expect(readings.rows.slice(0, 3)).toEqual(reference.first);
    expect(tables.find((t) => t.name === "stations")!.total).toBeUndefined(); // 12 rows, 10 read
  });

  it("walks interior pages and overflow chains, and counts a table it reads to its end", async () => {
    const { tables } = await sqliteTables(bytesReader(fixture("sensors.sqlite")), 10_000, 2);
    const readings = tables.find((t) => t.name === "readings")!;
    expect(readings.total).toBe(reference.count);
    expect(tables.find((t) => t.name === "stations")).toMatchObject({ total: 12 });
    expect(readings.rows[499]![0]).toBe(500);
    expect((readings.rows[499]![5] as string).length).toBe(reference.row500_note_length);
    expect(readings.rows[6]![5]).toBeNull();
  });

  it("reads only the pages it needs", async () => {
    const bytes = fixture("sensors.sqlite");
    const reader = windowedReader(bytes.length, async (o, l) => bytes.subarray(o, o + l), { window: 1024, budget: bytes.length });
    await sqliteTables(reader, 20, 1);
    expect(reader.bytesRead).toBeLessThan(bytes.length / 4);
  });

  it("also reads the small fixture made by the sqlite3 shell, and says a damaged file cannot be read", async () => {
    const { tables } = await sqliteTables(bytesReader(fixture("table.sqlite")), 5);
    expect(tables[0]).toMatchObject({ name: "readings", columns: ["id", "sensor", "value"] });
    expect(tables[0]!.rows[0]![0]).toBe(1);
    const damaged = Buffer.from(fixture("sensors.sqlite"));
    damaged.fill(0x42, 100, 108);
    await expect(sqliteTables(bytesReader(damaged), 5)).rejects.toThrow(/not a table b-tree page/);
    await expect(sqliteTables(bytesReader(Buffer.from("SQLite format 2\0".padEnd(100, " "))), 5)).rejects.toThrow(/SQLite header/);
  });
});
