import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parquetTable } from "./parquet";
import { UnreadableError, bytesReader } from "./reader";

const FORMATS = path.join(process.cwd(), "test/fixtures/formats");
const ref = JSON.parse(readFileSync(path.join(FORMATS, "tables.json"), "utf8"))["table.parquet"] as { rows: number; name_nulls: number; score_nulls: number; score_min: number; score_max: number };

describe("Parquet previews from byte ranges", () => {
  it("reads the schema, the first page and column statistics", async () => {
    const bytes = readFileSync(path.join(FORMATS, "table.parquet"));
    const reader = bytesReader(bytes);
    const t = await parquetTable(reader);
    expect(t).toMatchObject({ kind: "table", format: "parquet", total_rows: ref.rows, truncated: true, sample: { rows: ref.rows, whole_file: true } });
    expect(t.rows).toHaveLength(100);
    expect(t.rows[1]).toEqual(["1", "item 1", "3.7"]);
    const [id, name, score] = t.columns;
    expect(id).toMatchObject({ name: "id", type: "integer", nulls: 0, min: 0, max: ref.rows - 1 });
    expect(name).toMatchObject({ name: "name", type: "string", nulls: ref.name_nulls });
    expect(score).toMatchObject({ name: "score", type: "number", nulls: ref.score_nulls, min: ref.score_min, max: ref.score_max });
  });

  it("says why a file with a Parquet signature but no valid footer cannot be read", async () => {
    await expect(parquetTable(bytesReader(readFileSync(path.join(FORMATS, "sig-parquet.parquet"))))).rejects.toThrow(UnreadableError);
  });
});
