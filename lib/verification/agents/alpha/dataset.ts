import { cellText, parseDelimited } from "@/lib/previews/table";

import { isProjectDoc } from "../pick-files";
import { clampScore, type AgentArray, type AgentFile, type AgentInput, type AgentVerdict } from "../types";

import { abstain, decodeSample, lines, logScale, scale, weighted, withSubstance } from "./text";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOL = /^(true|false|yes|no)$/i;
const MISSING = /^(|na|n\/a|null|none|nan|-|\?)$/i;
const GENERIC_NAME = /^(col(umn)?[ _]?\d+|field_?\d+|unnamed.*|x\d*|v\d+|\d+)$/i;
const MAX_ROWS = 5_000;
const TABULAR = new Set(["text/csv", "text/tab-separated-values", "application/json", "application/x-ndjson"]);

type CellType = "number" | "date" | "bool" | "text" | "missing";

function cellType(cell: string): CellType {
  const v = cell.trim();
  if (MISSING.test(v)) return "missing";
  if (NUMBER.test(v)) return "number";
  if (DATE.test(v)) return "date";
  if (BOOL.test(v)) return "bool";
  return "text";
}

/** A table as the checks see it: cells as text, and how many rows the whole file is estimated to hold. */
interface Table {
  path: string;
  format: string;
  header: string[] | null;
  rows: string[][];
  parseErrors: number;
  estimatedRows: number;
}

function jsonRecords(text: string, ndjson: boolean, complete: boolean): { records: unknown[]; parseErrors: number } | null {
  if (ndjson) {
    let parseErrors = 0;
    const records: unknown[] = [];
    for (const line of lines(text).filter((l) => l.trim())) {
      try {
        records.push(JSON.parse(line));
      } catch {
        parseErrors++;
      }
    }
    return { records, parseErrors };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { records: Array.isArray(value) ? value : [value], parseErrors: 0 };
  } catch {
    return complete ? { records: [], parseErrors: 1 } : null;
  }
}

/** Rows estimated for the whole file from the share of it the sample covers. */
const estimate = (rows: number, f: AgentFile) => (f.complete ? rows : Math.round((rows * f.size) / Math.max(1, f.bytes.byteLength)));

function textTable(f: AgentFile): Table | null {
  const text = decodeSample(f.bytes, f.complete);
  if (f.mediaType === "application/json" || f.mediaType === "application/x-ndjson") {
    const parsed = jsonRecords(text, f.mediaType === "application/x-ndjson", f.complete);
    if (!parsed) return null;
    const all = parsed.records.filter((r): r is Record<string, unknown> => !!r && typeof r === "object" && !Array.isArray(r));
    const objects = all.slice(0, MAX_ROWS);
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    const rows = objects.map((o) => keys.map((k) => cellText(o[k])));
    const format = f.mediaType === "application/json" ? "json" : "ndjson";
    return { path: f.path, format, header: keys, rows, parseErrors: parsed.parseErrors + (parsed.records.length - all.length), estimatedRows: estimate(parsed.records.length, f) };
  }
  const first = text.slice(0, text.indexOf("\n") >>> 0);
  const delimiter = f.mediaType === "text/tab-separated-values" ? "\t" : first.split(";").length > first.split(",").length ? ";" : ",";
  const parsed = parseDelimited(text.replace(/^\uFEFF/, ""), delimiter, true, MAX_ROWS + 1);
  const head = parsed[0] ?? [];
  const headerLike = head.length > 0 && head.every((c) => cellType(c) === "text");
  const rows = headerLike ? parsed.slice(1) : parsed;
  return { path: f.path, format: f.mediaType === "text/csv" ? "csv" : "tsv", header: headerLike ? head : null, rows, parseErrors: 0, estimatedRows: estimate(rows.length, f) };
}

function tablesOf(input: AgentInput): Table[] {
  const fromText = input.inspection.files.filter((f) => TABULAR.has(f.mediaType)).flatMap((f) => textTable(f) ?? []);
  const binary = input.inspection.tables.map((t) => ({ path: t.path, format: t.format, header: t.header, rows: t.rows.slice(0, MAX_ROWS).map((r) => r.map(cellText)), parseErrors: 0, estimatedRows: t.totalRows }));
  return [...fromText, ...binary];
}

/** The most common row length: the table's width when there is no header to say it. */
function modalLength(rows: string[][]): number {
  const tally = new Map<number, number>();
  for (const r of rows) tally.set(r.length, (tally.get(r.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [len, n] of tally) if (n > bestCount) [best, bestCount] = [len, n];
  return best;
}

interface TableChecks {
  path: string;
  format: string;
  rows: number;
  estimatedRows: number;
  columns: number;
  header: boolean;
  parseErrors: number;
  consistent: number;
  missing: number;
  duplicateRatio: number;
  typedRatio: number;
  /** Columns that vary and are mostly present: the ones that carry information. */
  informativeRatio: number;
  descriptiveHeader: number;
}

function columnChecks(rows: string[][], width: number) {
  let typed = 0;
  let informative = 0;
  for (let col = 0; col < width; col++) {
    const cells = rows.map((r) => r[col] ?? "");
    const types = cells.map(cellType).filter((t) => t !== "missing");
    if (types.length === 0) continue;
    const counts = new Map<CellType, number>();
    for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
    // A column is typed when ≥ 90% of its present cells share one type.
    if (Math.max(...counts.values()) / types.length >= 0.9) typed++;
    if (types.length >= cells.length / 2 && new Set(cells.map((c) => c.trim())).size > 1) informative++;
  }
  return { typedRatio: width ? typed / width : 0, informativeRatio: width ? informative / width : 0 };
}

function checkTable(t: Table): TableChecks {
  const { header, rows } = t;
  const width = header?.length ?? modalLength(rows);
  const cells = rows.flat();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of rows) {
    const key = r.join("\u0001");
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  return {
    path: t.path,
    format: t.format,
    rows: rows.length,
    estimatedRows: t.estimatedRows,
    columns: width,
    header: !!header,
    parseErrors: t.parseErrors,
    consistent: rows.length ? rows.filter((r) => r.length === width).length / rows.length : 0,
    missing: cells.length ? cells.filter((c) => cellType(c) === "missing").length / cells.length : 1,
    duplicateRatio: rows.length ? duplicates / rows.length : 0,
    ...columnChecks(rows, width),
    descriptiveHeader: header?.length ? header.filter((h) => h.trim() && !GENERIC_NAME.test(h.trim())).length / header.length : 0,
  };
}

/**
 * Dataset checks — for each table (CSV/TSV/JSON/NDJSON, Parquet; the tables inside an archive):
 * parse validity, consistent columns, missing values, duplicate rows, column typing, header;
 * NumPy arrays by shape and dtype. The score is scaled by substance: rows × columns and how many
 * columns carry information. A dataset with neither tables nor arrays is not judged (abstention).
 */
export function analyzeDataset(input: AgentInput): AgentVerdict {
  const { inspection } = input;
  if (inspection.unreadable) return unreadable(input, inspection.unreadable);
  const tables = tablesOf(input).filter((t) => t.rows.length > 0 || t.parseErrors > 0);
  if (tables.length === 0 && inspection.arrays.length === 0) {
    const what = inspection.entries ? `an archive of ${inspection.entries.length} files with no table or array the agent reads` : `${input.mediaType} content`;
    return abstain(`the agent cannot judge ${what}`, { format: input.mediaType, bytesRead: inspection.bytesRead });
  }
  const checks = tables.map(checkTable);
  const documented = input.description.trim().length >= 40;
  const dictionary = ["columns", "schema", "fields", "data_dictionary", "dictionary"].some((k) => k in input.metadata) || inspection.files.some((f) => isProjectDoc(f.path));
  return checks.length ? scoreTables(checks, input, { documented, dictionary }) : scoreArrays(inspection.arrays, input, { documented, dictionary });
}

function unreadable(input: AgentInput, reason: string): AgentVerdict {
  return { voteScore: 10, subScores: { quality: 5, originality: 50, utility: 5, documentation: 20 }, reasoning: `Dataset review: the ${input.mediaType} file cannot be read (${reason}).`, details: { format: input.mediaType, unreadable: reason } };
}

/** Cells-weighted mean of a per-table measure: a big table says more about the dataset than a small one. */
function byCells(checks: TableChecks[], pick: (c: TableChecks) => number): number {
  const weights = checks.map((c) => Math.max(1, c.rows * Math.max(1, c.columns)));
  return checks.reduce((s, c, i) => s + pick(c) * weights[i]!, 0) / weights.reduce((a, b) => a + b, 0);
}

function scoreTables(checks: TableChecks[], input: AgentInput, docs: { documented: boolean; dictionary: boolean }): AgentVerdict {
  const m = (pick: (c: TableChecks) => number) => byCells(checks, pick);
  const parseErrors = checks.reduce((s, c) => s + c.parseErrors, 0);
  const [consistent, missing, duplicateRatio, typedRatio, informative, descriptive] = [m((c) => c.consistent), m((c) => c.missing), m((c) => c.duplicateRatio), m((c) => c.typedRatio), m((c) => c.informativeRatio), m((c) => c.descriptiveHeader)];
  const headers = m((c) => (c.header ? 1 : 0));
  const cells = checks.reduce((s, c) => s + c.estimatedRows * c.columns, 0);
  const rows = checks.reduce((s, c) => s + c.estimatedRows, 0);
  const width = Math.max(...checks.map((c) => c.columns));

  const quality = clampScore(weighted([[parseErrors ? 20 : 100, 1], [scale(consistent, 0.7, 1), 2], [scale(missing, 0.3, 0), 1.5], [scale(typedRatio, 0.3, 1), 1]]));
  const originality = clampScore(scale(duplicateRatio, 0.4, 0.01));
  const documentation = clampScore(weighted([[headers * 100, 1.5], [scale(descriptive, 0.3, 1), 1], [docs.dictionary ? 100 : 40, 1], [docs.documented ? 100 : 40, 0.5]]));
  // Substance: how much data (log scale of cells: ~50 is a toy, ~20,000 a real table) and how much of it varies.
  const substance = clampScore((logScale(cells, 50, 20_000) * (40 + 0.6 * scale(informative, 0.2, 0.8))) / 100);
  const utility = clampScore(Math.min(substance, weighted([[scale(width, 1, 4), 1], [scale(typedRatio, 0.3, 1), 1]])));
  const voteScore = withSubstance(weighted([[quality, 0.35], [originality, 0.2], [utility, 0.25], [documentation, 0.2]]), substance);
  const notes: string[] = [];
  if (parseErrors) notes.push(`${parseErrors} record(s) failed to parse`);
  if (consistent < 0.95) notes.push(`${Math.round((1 - consistent) * 100)}% of rows have the wrong number of columns`);
  if (missing > 0.05) notes.push(`${Math.round(missing * 100)}% missing values`);
  if (duplicateRatio > 0.05) notes.push(`${Math.round(duplicateRatio * 100)}% duplicate rows`);
  if (headers < 1) notes.push(checks.length > 1 ? "tables without a header row" : "no header row");
  if (cells < 1_000) notes.push(`little data (about ${rows} rows × ${width} columns)`);
  if (informative < 0.5) notes.push(`${Math.round((1 - informative) * 100)}% of columns are constant or mostly empty`);
  return {
    voteScore,
    subScores: { quality, originality, utility, documentation },
    reasoning: notes.length ? `Dataset review: ${notes.join("; ")}.` : `Dataset review: about ${rows} consistent, typed rows × ${width} columns with descriptive headers.`,
    details: {
      format: checks.length === 1 ? checks[0]!.format : "archive",
      tables: checks.length,
      estimatedRows: rows,
      columns: width,
      rowsSampled: checks.reduce((s, c) => s + c.rows, 0),
      consistentRowRatio: round3(consistent),
      missingRatio: round3(missing),
      duplicateRowRatio: round3(duplicateRatio),
      typedColumnRatio: round3(typedRatio),
      informativeColumnRatio: round3(informative),
      header: headers === 1,
      dataDictionary: docs.dictionary,
      substance,
      bytesRead: input.inspection.bytesRead,
      ...(input.inspection.entries ? { archiveFiles: input.inspection.entries.length, perTable: checks.slice(0, 20).map((c) => ({ path: c.path, rows: c.estimatedRows, columns: c.columns })) } : {}),
      ...(input.inspection.stoppedBy ? { stoppedBy: input.inspection.stoppedBy } : {}),
    },
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** NumPy arrays: a known dtype, a real shape, values that vary. */
function scoreArrays(arrays: AgentArray[], input: AgentInput, docs: { documented: boolean; dictionary: boolean }): AgentVerdict {
  const elements = arrays.reduce((s, a) => s + a.elements, 0);
  const varying = arrays.filter((a) => new Set(a.first.map(String)).size > 1).length / arrays.length;
  const known = arrays.filter((a) => a.first.length > 0).length / arrays.length;
  const quality = clampScore(weighted([[known * 100, 1], [arrays.every((a) => a.shape.length > 0) ? 100 : 50, 1]]));
  const originality = clampScore(scale(varying, 0, 1));
  const substance = clampScore(logScale(elements, 100, 100_000) * (0.4 + 0.6 * varying));
  const documentation = clampScore(weighted([[docs.dictionary ? 100 : 40, 1], [docs.documented ? 100 : 40, 1]]));
  const utility = substance;
  const voteScore = withSubstance(weighted([[quality, 0.35], [originality, 0.2], [utility, 0.25], [documentation, 0.2]]), substance);
  return {
    voteScore,
    subScores: { quality, originality, utility, documentation },
    reasoning: `Dataset review: ${arrays.length} NumPy array(s), ${elements} values in all (${arrays.slice(0, 3).map((a) => `${a.dtype} ${a.shape.join("×") || "scalar"}`).join(", ")})${varying < 1 ? "; some arrays start with constant values" : ""}.`,
    details: { format: "npy", arrays: arrays.slice(0, 20).map((a) => ({ path: a.path, dtype: a.dtype, shape: a.shape })), elements, substance, bytesRead: input.inspection.bytesRead },
  };
}
