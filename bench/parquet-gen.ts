/**
 * Writes a Parquet file of about `total` bytes in row groups of about `group` bytes, for the
 * previews scenario: `tsx bench/parquet-gen.ts <path> <group-bytes> <total-bytes>`. Five columns
 * (an INT32 id, four random DOUBLEs: 36 bytes a row), 1 MiB pages, hyparquet-writer's offset index
 * (on by default). Row group by row group: the process never holds more than one.
 */
import { fileWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";

const [file, groupText, totalText] = process.argv.slice(2);
const group = Number(groupText);
const total = Number(totalText);
if (!file || !(group > 0) || !(total > 0)) throw new Error("usage: parquet-gen.ts <path> <group-bytes> <total-bytes>");

const ROW_BYTES = 36;
const rowsPerGroup = Math.floor(group / ROW_BYTES);
const groups = Math.ceil(total / (rowsPerGroup * ROW_BYTES));
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1000;

function columns(first: number) {
  const id = new Int32Array(rowsPerGroup);
  const values = Array.from({ length: 4 }, () => new Float64Array(rowsPerGroup));
  for (let i = 0; i < rowsPerGroup; i++) {
    id[i] = first + i;
    for (const v of values) v[i] = random();
  }
  return [
    { name: "id", data: id, type: "INT32" as const },
    ...values.map((data, j) => ({ name: `reading_${j + 1}`, data, type: "DOUBLE" as const })),
  ];
}

const writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData: columns(0).map((c) => ({ ...c, data: c.data.subarray(0, 1) })) }), codec: "UNCOMPRESSED" });
for (let g = 0; g < groups; g++) writer.write({ columnData: columns(g * rowsPerGroup), rowGroupSize: rowsPerGroup, pageSize: 1024 * 1024 });
writer.finish();
console.log(JSON.stringify({ rows: groups * rowsPerGroup, groups, rowsPerGroup }));
