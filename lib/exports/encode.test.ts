import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import type { ExportColumn } from "./datasets";
import { csvHeader, csvRows, jsonRow, jsonRowText, ndjsonRows } from "./encode";

const columns: ExportColumn[] = [
  { name: "id", sql: "", kind: "text" },
  { name: "n", sql: "", kind: "int" },
  { name: "ok", sql: "", kind: "bool" },
  { name: "amount", sql: "", kind: "decimal" },
  { name: "meta", sql: "", kind: "json" },
  { name: "at", sql: "", kind: "time" },
];

// In the columns' order: id, n, ok, amount, meta, at.
const rows: (string | null)[][] = [
  ['a "b", c\n\u2028</script>', "-12", "true", "0.000000000000000001", '{"k": [1, "x\\"y"]}', "2026-01-01T00:00:00.000001Z"],
  ["=1+1", null, "false", null, "{}", null],
];

describe("encoders", () => {
  it("write a row's JSON text exactly as JSON.stringify of its typed object would", () => {
    for (const r of rows) expect(JSON.parse(jsonRowText(columns, r))).toEqual(jsonRow(columns, r));
    expect(jsonRow(columns, rows[0]!)).toMatchObject({ n: -12, ok: true, amount: "0.000000000000000001", meta: { k: [1, 'x"y'] } });
    expect(ndjsonRows(columns, rows).split("\n")).toHaveLength(3);
  });

  // Values arrive as text, so a negative number is prefixed too (no exported number is negative: counts, sizes, scores, amounts).
  it("write CSV a real parser reads back, formula-like cells neutralised", () => {
    const text = csvHeader(columns) + csvRows(columns, rows);
    expect(text.endsWith("\r\n")).toBe(true);
    const back = parse(text, { columns: true }) as Record<string, string>[];
    expect(back[0]).toMatchObject({ id: 'a "b", c\n\u2028</script>', n: "'-12", ok: "true", amount: "0.000000000000000001" });
    expect(back[1]).toMatchObject({ id: "'=1+1", n: "", at: "" });
  });
});
