import { UnreadableError, type RangeReader } from "./reader";
import type { TablePreview } from "./schema";
import { fromRecords } from "./table";

/**
 * A SQLite database's tables and first rows, read page by page from byte ranges, as the file format
 * (sqlite.org/fileformat2.html) lays them out: the 100-byte header, the schema table's b-tree on
 * page 1, then each table's b-tree from its root page, left to right, until enough rows are read.
 * Records are decoded by their serial types; a payload that overflows its page follows its chain of
 * overflow pages (within the reader's budget). Never the whole file; nothing is executed.
 */
export interface SqliteTable {
  name: string;
  columns: string[];
  rows: unknown[][];
  /** Rows in the table, when the walk reached its end. */
  total?: number;
}

const MAGIC = "SQLite format 3\0";
const LEAF_TABLE = 13;
const INTERIOR_TABLE = 5;
/** Pages a walk visits at most (a guard against loops in a damaged file). */
const MAX_PAGES = 4096;
/** Bytes of one value kept (a longer text or blob is cut). */
const MAX_VALUE = 4096;

interface Db {
  r: RangeReader;
  pageSize: number;
  usable: number;
  text: TextDecoder;
}

async function open(r: RangeReader): Promise<Db> {
  const h = await r.read(0, 100);
  if (h.length < 100 || new TextDecoder("latin1").decode(h.subarray(0, 16)) !== MAGIC) throw new UnreadableError("it does not start with the SQLite header");
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const raw = v.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new UnreadableError(`its page size (${raw}) is not a power of two from 512 to 65536`);
  const encoding = v.getUint32(56);
  const text = new TextDecoder(encoding === 2 ? "utf-16le" : encoding === 3 ? "utf-16be" : "utf-8");
  return { r, pageSize, usable: pageSize - h[20]!, text };
}

const page = (db: Db, n: number) => {
  if (n < 1 || (n - 1) * db.pageSize >= db.r.size) throw new UnreadableError(`a b-tree points at page ${n}, past the end of the file`);
  return db.r.read((n - 1) * db.pageSize, db.pageSize);
};

/** A varint (1–9 bytes, big-endian, 7 bits a byte; the ninth byte gives 8). */
function varint(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const byte = b[at + i] ?? 0;
    if (i === 8) return [Number((v << 8n) | BigInt(byte)), at + 9];
    v = (v << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [Number(v), at + i + 1];
  }
  return [Number(v), at + 9];
}

/** The whole payload of a cell: its local part, then its overflow pages' (cut at `limit`). */
async function payloadOf(db: Db, p: Uint8Array, at: number, size: number, limit: number): Promise<Uint8Array> {
  const u = db.usable;
  const x = u - 35;
  const m = Math.floor(((u - 12) * 32) / 255) - 23;
  const k = m + ((size - m) % (u - 4));
  const local = size <= x ? size : k <= x ? k : m;
  if (local === size) return p.subarray(at, at + size);
  const parts = [p.subarray(at, at + local)];
  let have = local;
  let next = new DataView(p.buffer, p.byteOffset).getUint32(at + local);
  for (let hops = 0; next !== 0 && have < Math.min(size, limit) && hops < MAX_PAGES; hops++) {
    const o = await page(db, next);
    const take = Math.min(u - 4, size - have);
    parts.push(o.subarray(4, 4 + take));
    have += take;
    next = new DataView(o.buffer, o.byteOffset).getUint32(0);
  }
  return Buffer.concat(parts);
}

const INT_BYTES = [0, 1, 2, 3, 4, 6, 8];

/** A record's values by their serial types (integers beyond 2^53 as text). */
function record(db: Db, b: Uint8Array): unknown[] {
  const [headerSize, first] = varint(b, 0);
  const types: number[] = [];
  for (let at = first; at < headerSize; ) {
    const [t, next] = varint(b, at);
    types.push(t);
    at = next;
  }
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: unknown[] = [];
  let at = headerSize;
  for (const t of types) {
    if (t === 0) out.push(null);
    else if (t >= 1 && t <= 6) {
      const n = INT_BYTES[t]!;
      let x = 0n;
      for (let i = 0; i < n; i++) x = (x << 8n) | BigInt(b[at + i] ?? 0);
      if (x >= 1n << BigInt(n * 8 - 1)) x -= 1n << BigInt(n * 8);
      out.push(x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString());
      at += n;
    } else if (t === 7) {
      out.push(at + 8 <= b.length ? v.getFloat64(at) : null);
      at += 8;
    } else if (t === 8 || t === 9) out.push(t - 8);
    else if (t >= 12) {
      const n = t % 2 === 0 ? (t - 12) / 2 : (t - 13) / 2;
      const bytes = b.subarray(at, at + Math.min(n, MAX_VALUE));
      out.push(t % 2 === 0 ? Buffer.from(bytes).toString("hex") : db.text.decode(bytes));
      at += n;
    } else throw new UnreadableError(`a record has serial type ${t}, which the format reserves`);
  }
  return out;
}

/** A table b-tree's rows in rowid order, from `root`, until `max` rows (or the end: then `complete`). */
async function walk(db: Db, root: number, max: number): Promise<{ rows: { rowid: number; values: unknown[] }[]; complete: boolean }> {
  const rows: { rowid: number; values: unknown[] }[] = [];
  let visited = 0;
  const visit = async (n: number): Promise<boolean> => {
    if (++visited > MAX_PAGES) throw new UnreadableError("its b-tree is deeper or longer than a preview walks");
    const p = await page(db, n);
    const base = n === 1 ? 100 : 0;
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const type = p[base];
    const cells = v.getUint16(base + 3);
    const header = type === INTERIOR_TABLE ? 12 : 8;
    if (type !== LEAF_TABLE && type !== INTERIOR_TABLE) throw new UnreadableError(`page ${n} is not a table b-tree page (type ${type})`);
    for (let i = 0; i < cells; i++) {
      const at = v.getUint16(base + header + 2 * i);
      if (type === INTERIOR_TABLE) {
        if (!(await visit(v.getUint32(at)))) return false;
        continue;
      }
      const [size, afterSize] = varint(p, at);
      const [rowid, afterRowid] = varint(p, afterSize);
      rows.push({ rowid, values: record(db, await payloadOf(db, p, afterRowid, size, MAX_VALUE * 8)) });
      if (rows.length >= max) return false;
    }
    return type === INTERIOR_TABLE ? visit(v.getUint32(base + 8)) : true;
  };
  const complete = await visit(root);
  return { rows, complete };
}

/** Column names from a CREATE TABLE statement, and which one (if any) is the rowid's alias. */
function columnsOf(sql: string): { names: string[]; rowidAlias: number } {
  const body = sql.slice(sql.indexOf("(") + 1, sql.lastIndexOf(")"));
  const defs: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "(") depth++;
    else if (body[i] === ")") depth--;
    else if (body[i] === "," && depth === 0) {
      defs.push(body.slice(start, i));
      start = i + 1;
    }
  }
  defs.push(body.slice(start));
  const columns = defs.map((d) => d.trim()).filter((d) => d && !/^(constraint|primary\s+key|unique|check|foreign\s+key)\b/i.test(d));
  const names = columns.map((d) => /^(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([^\s(]+))/.exec(d)?.slice(1).find((x) => x !== undefined) ?? d);
  return { names, rowidAlias: columns.findIndex((d) => /^\S+\s+integer\s+primary\s+key\b/i.test(d)) };
}

/** The preview's table of a SQLite database: its first table's first rows, and the names of all its tables. */
export async function sqliteTable(r: RangeReader): Promise<TablePreview> {
  const { names, tables } = await sqliteTables(r, SAMPLE_ROWS);
  const first = tables[0];
  if (!first) throw new UnreadableError(names.length ? "its tables are WITHOUT ROWID tables, which the preview does not read" : "it holds no table");
  const table = fromRecords(first.columns, first.rows, { sampleBytes: r.bytesRead, truncated: first.total === undefined, format: "sqlite" });
  return { ...table, table: first.name, tables: names, ...(first.total !== undefined ? { total_rows: first.total } : {}) };
}

const SAMPLE_ROWS = 1000;

/** The database's tables (the schema's order) and the first `maxRows` rows of the first `maxTables`. */
export async function sqliteTables(r: RangeReader, maxRows: number, maxTables = 1): Promise<{ names: string[]; tables: SqliteTable[] }> {
  const db = await open(r);
  const schema = (await walk(db, 1, 10_000)).rows.map((x) => x.values);
  const entries = schema.filter((s) => s[0] === "table" && typeof s[1] === "string" && !String(s[1]).startsWith("sqlite_") && typeof s[3] === "number" && !/without\s+rowid/i.test(String(s[4] ?? "")));
  const tables: SqliteTable[] = [];
  for (const e of entries.slice(0, maxTables)) {
    const { names, rowidAlias } = columnsOf(String(e[4] ?? ""));
    const { rows, complete } = await walk(db, e[3] as number, maxRows);
    const values = rows.map(({ rowid, values }) => names.map((_, j) => (j === rowidAlias && values[j] === null ? rowid : (values[j] ?? null))));
    tables.push({ name: String(e[1]), columns: names, rows: values, ...(complete ? { total: rows.length } : {}) });
  }
  return { names: entries.map((e) => String(e[1])), tables };
}
