/**
 * PostgreSQL's encoding of export pages (lib/exports/encode.ts), on both drivers: the CSV read back
 * with csv-parse (a parser we did not write) and the NDJSON with JSON.parse, for hostile text (quotes,
 * commas, CR, LF, tabs, unicode), nulls and empty strings, formula-like cells, exact decimals and
 * microsecond times, across page edges.
 */
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { setupTestDatabase } from "@/test/db";

import { isoTime, type ExportColumn, type ExportDataset } from "./datasets";
import { csvHeader } from "./encode";
import { exportPage, exportPages, type PageEncoding } from "./rows";

const testDb = setupTestDatabase();

const columns: ExportColumn[] = [
  { name: "t", sql: "p.t", kind: "text" },
  { name: "n", sql: "p.n::text", kind: "int" },
  { name: "ok", sql: "p.ok::text", kind: "bool" },
  { name: "amount", sql: "p.amount::text", kind: "decimal" },
  { name: "meta", sql: "p.meta::text", kind: "json" },
  { name: "at", sql: isoTime("p.created_at"), kind: "time" },
];

const probe: ExportDataset = { name: "probe", label: "Probe", from: "export_probe p", alias: "p", columns, statuses: null, admin: false };

interface Probe {
  t: string | null;
  n: number | null;
  ok: boolean | null;
  amount: string | null;
  meta: unknown;
  at: string;
}

/** A probe row as inserted (meta as JSON text). */
type ProbeRow = Omit<Probe, "meta"> & { meta: string | null };

const FORMULAS = ["=1+1", '=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR first", "\uFF1D1+1", "\uFF0B1", "\uFF0D1", "\uFF20x"];
const TEXTS = [
  'a "b", c\n\u2028</script>',
  "comma, inside",
  'only "quotes"',
  '"',
  '""',
  ",",
  "line\nbreak",
  "carriage\r\nreturn",
  "lone\rcr",
  "trailing\n",
  "  spaced  ",
  "unicode: é ß 日本語 🦀 \u0000".replace("\u0000", "\u0001"),
  "back\\slash and 'single'",
  "a=b stays", // only a leading formula character is neutralised
  "",
  null,
  ...FORMULAS,
];

// Rows in insertion order; created_at strictly increasing (microseconds) so the order is known.
const rows: ProbeRow[] = TEXTS.map((t, i) => ({
  t,
  n: i % 3 === 0 ? null : i * 1_000_003,
  ok: i % 4 === 0 ? null : i % 2 === 0,
  amount: [null, "0.000000000000000001", "123456789012.123456789012345678", "-5.50", "0", "1e-3"][i % 6] === "1e-3" ? "0.001" : ([null, "0.000000000000000001", "123456789012.123456789012345678", "-5.50", "0", "0.001"][i % 6] ?? null),
  // Written as text: the big number must reach jsonb as written, not as a double.
  meta: i % 5 === 0 ? null : `{"k": [${i}, "x\\"y", "\\n"], "nested": {"u": "🦀"}, "big": 12345678901234567890}`,
  at: `2026-01-0${1 + (i % 2)}T00:00:00.${String(100_000 + i).padStart(6, "0")}Z`,
}));

beforeAll(async () => {
  const { db } = testDb.handle;
  await db.execute(sql`CREATE TABLE export_probe (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL, t text, n integer, ok boolean, amount numeric, meta jsonb)`);
  for (const r of rows)
    await db.execute(sql`INSERT INTO export_probe (created_at, t, n, ok, amount, meta) VALUES (${r.at}::timestamptz, ${r.t}, ${r.n}, ${r.ok}, ${r.amount}::numeric, ${r.meta}::jsonb)`);
});

/** The rows as the export orders them (oldest first), typed as JSON.stringify of the typed row would give them. */
const ordered = (): Probe[] => [...rows].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((r) => ({ ...r, meta: r.meta === null ? null : (JSON.parse(r.meta) as unknown) }));

async function all(encoding: PageEncoding, pageSize: number): Promise<{ text: string; pages: number; count: number }> {
  let text = "";
  let pages = 0;
  let count = 0;
  for await (const page of exportPages(probe, { kind: "admin" }, {}, encoding, pageSize)) {
    const body = new TextDecoder().decode(page.body);
    text += encoding === "json-array" && pages > 0 ? `,${body}` : body;
    pages++;
    count += page.rows;
  }
  return { text, pages, count };
}

describe("CSV written by PostgreSQL", () => {
  it("is read back exactly by csv-parse: every field quoted, quotes doubled, CRLF rows, null an empty field", async () => {
    const { text, pages, count } = await all("csv", 4);
    expect(pages).toBe(Math.ceil(rows.length / 4));
    expect(count).toBe(rows.length);
    const full = csvHeader(columns) + text;
    expect(full.startsWith("t,n,ok,amount,meta,at\r\n")).toBe(true);
    expect(full.endsWith("\r\n")).toBe(true);
    const back = parse(full, { columns: true, relax_quotes: false, record_delimiter: "\r\n" }) as Record<string, string>[];
    const expected = ordered().map((r) => ({
      t: r.t === null ? "" : FORMULAS.includes(r.t) ? `'${r.t}` : r.t,
      n: r.n === null ? "" : String(r.n),
      ok: r.ok === null ? "" : String(r.ok),
      amount: r.amount === null ? "" : r.amount.startsWith("-") ? `'${r.amount}` : r.amount,
      meta: r.meta,
      at: r.at,
    }));
    expect(back.map((r) => ({ ...r, meta: r.meta === "" ? null : (JSON.parse(r.meta!) as unknown) }))).toEqual(expected);
    // Empty string and null are both empty to a reader, but written apart: "" quoted, null bare.
    expect(full).toContain('\r\n"",');
    expect(full).toMatch(/\r\n,/);
  });

  it("neutralises every formula-like start (the characters csv-stringify's escape_formulas takes)", async () => {
    const back = parse(csvHeader(columns) + (await all("csv", 1000)).text, { columns: true }) as Record<string, string>[];
    for (const f of FORMULAS) {
      expect(back.map((r) => r.t)).toContain(`'${f}`);
      expect(back.map((r) => r.t)).not.toContain(f);
    }
    expect(back.map((r) => r.t)).toContain("a=b stays");
  });
});

describe("NDJSON written by PostgreSQL", () => {
  it("is one JSON object a line, typed as declared (integers and booleans as such, JSON as JSON, decimals and times exact strings)", async () => {
    const { text, count } = await all("ndjson", 3);
    expect(count).toBe(rows.length);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(rows.length);
    const back = lines.map((l) => JSON.parse(l) as Probe);
    // The reference: what JSON.stringify of the typed row would give.
    expect(back).toEqual(ordered());
    expect(Object.keys(back[0]!)).toEqual(["t", "n", "ok", "amount", "meta", "at"]);
    // jsonb renders a big number as written, not as a double.
    expect(text).toContain("12345678901234567890");
  });

  it("joins a page's objects by commas for the own-data JSON arrays", async () => {
    const { text } = await all("json-array", 5);
    expect(JSON.parse(`[${text}]`)).toEqual(ordered());
  });
});

describe("a page", () => {
  it("past the last row is empty, with no next position", async () => {
    const page = await exportPage(probe, { kind: "admin" }, { from: new Date("2030-01-01") }, null, 10, "csv");
    expect(page).toEqual({ body: new Uint8Array(0), rows: 0, next: null });
  });
});
