import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { PAGE_ROWS, delimitedTable, jsonTable, parseDelimited } from "./table";

const FORMATS = path.join(process.cwd(), "test/fixtures/formats");
/** What python's csv module and statistics.fmean make of tricky.csv (test/fixtures/formats/tables.json). */
const ref = JSON.parse(readFileSync(path.join(FORMATS, "tables.json"), "utf8"))["tricky.csv"] as {
  records: number;
  header: string[];
  first: string[][];
  score: { nulls: number; min: number; max: number; mean: number };
  name_top: [string, number][];
};

describe("tabular previews", () => {
  it("parses RFC 4180 quoting (delimiters, quotes and line breaks inside fields) as python's csv does", () => {
    const text = readFileSync(path.join(FORMATS, "tricky.csv"), "utf8");
    const records = parseDelimited(text, ",", true, 1e6);
    expect(records).toHaveLength(ref.records);
    expect(records[0]).toEqual(ref.header);
    expect(records.slice(1, 4)).toEqual(ref.first);
  });

  it("infers types, counts nulls and summarizes columns over the sample", () => {
    const t = delimitedTable(readFileSync(path.join(FORMATS, "tricky.csv"), "utf8"), ",", { complete: true, format: "csv" });
    expect(t.rows).toHaveLength(PAGE_ROWS);
    expect(t.truncated).toBe(true);
    expect(t.sample).toMatchObject({ rows: ref.records - 1, whole_file: true });
    const byName = Object.fromEntries(t.columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ type: "integer", nulls: 0, min: 0, max: ref.records - 2 });
    expect(byName.score).toMatchObject({ type: "number", nulls: ref.score.nulls, min: ref.score.min, max: ref.score.max });
    expect(byName.score!.mean).toBeCloseTo(ref.score.mean, 5);
    expect(byName.when!.type).toBe("date");
    expect(byName.flag!.type).toBe("boolean");
    expect(byName.name!.top!.map((x) => [x.value, x.count])).toEqual(ref.name_top);
    expect(byName.note).toMatchObject({ type: "string" });
  });

  it("drops a record cut by the end of the sample", () => {
    const t = delimitedTable('a,b\n1,"two\nlines"\n3,fo', ",", { complete: false, format: "csv" });
    expect(t.rows).toEqual([["1", "two\nlines"]]);
    expect(t.sample.whole_file).toBe(false);
  });

  it("reads NDJSON and JSON arrays of objects, columns in order of first appearance", () => {
    const nd = jsonTable('{"a":1,"b":"x"}\n{"a":2.5,"c":null}\nnot json\n{"a":3}\n', { complete: true, ndjson: true })!;
    expect(nd.columns.map((c) => [c.name, c.type, c.nulls])).toEqual([
      ["a", "number", 0],
      ["b", "string", 2],
      ["c", "string", 3],
    ]);
    expect(nd.rows).toEqual([
      ["1", "x", ""],
      ["2.5", "", ""],
      ["3", "", ""],
    ]);
    expect(jsonTable('[{"k":true},{"k":false}]', { complete: true, ndjson: false })!.columns[0]).toMatchObject({ name: "k", type: "boolean" });
    expect(jsonTable('{"not":"a list"}', { complete: true, ndjson: false })).toBeNull();
  });
});
