import { clampScore, type AgentInput, type AgentVerdict } from "../types";

import { decodeSample, lines, scale, weighted } from "./text";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOL = /^(true|false|yes|no)$/i;
const MISSING = /^(|na|n\/a|null|none|nan|-|\?)$/i;
const GENERIC_NAME = /^(col(umn)?_?\d+|field_?\d+|unnamed.*|x\d*|v\d+|\d+)$/i;
const MAX_ROWS = 5_000;

type CellType = "number" | "date" | "bool" | "text" | "missing";

function cellType(cell: string): CellType {
  const v = cell.trim();
  if (MISSING.test(v)) return "missing";
  if (NUMBER.test(v)) return "number";
  if (DATE.test(v)) return "date";
  if (BOOL.test(v)) return "bool";
  return "text";
}

/** Splits one delimited line, honouring double quotes. */
function splitRow(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

interface Table {
  header: string[] | null;
  rows: string[][];
  parseErrors: number;
  format: string;
}

function readTable(text: string, mediaType: string, complete: boolean): Table | null {
  if (mediaType === "application/json" || mediaType === "application/x-ndjson") {
    let records: unknown[] = [];
    let parseErrors = 0;
    if (mediaType === "application/x-ndjson") {
      for (const line of lines(text).filter((l) => l.trim())) {
        try {
          records.push(JSON.parse(line));
        } catch {
          parseErrors++;
        }
      }
    } else {
      try {
        const value: unknown = JSON.parse(text);
        records = Array.isArray(value) ? value : [value];
      } catch {
        if (complete) parseErrors = 1;
        return complete ? { header: null, rows: [], parseErrors: 1, format: "json" } : null;
      }
    }
    const objects = records.filter((r): r is Record<string, unknown> => !!r && typeof r === "object" && !Array.isArray(r)).slice(0, MAX_ROWS);
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    const rows = objects.map((o) => keys.map((k) => (o[k] === undefined || o[k] === null ? "" : typeof o[k] === "object" ? JSON.stringify(o[k]) : String(o[k]))));
    return { header: keys, rows, parseErrors: parseErrors + (records.length - objects.length), format: mediaType === "application/json" ? "json" : "ndjson" };
  }
  if (mediaType === "text/csv" || mediaType === "text/tab-separated-values") {
    const all = lines(text).filter((l) => l.trim() !== "");
    const first = all[0] ?? "";
    const delimiter = mediaType === "text/tab-separated-values" ? "\t" : first.split(";").length > first.split(",").length ? ";" : ",";
    const parsed = all.slice(0, MAX_ROWS + 1).map((l) => splitRow(l, delimiter));
    const head = parsed[0] ?? [];
    const headerLike = head.length > 0 && head.every((c) => cellType(c) === "text");
    return { header: headerLike ? head : null, rows: headerLike ? parsed.slice(1) : parsed, parseErrors: 0, format: "csv" };
  }
  return null;
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

/** Dataset checks: parse validity, consistent columns, missing values, duplicate rows, column typing, size, header. */
export function analyzeDataset(input: AgentInput): AgentVerdict {
  const table = readTable(decodeSample(input.sample, input.complete), input.mediaType, input.complete);
  if (!table) {
    // Parquet, archives, or JSON too large to parse from a prefix: structure not inspected.
    const documented = input.description.trim().length >= 40 || Object.keys(input.metadata).length > 0;
    const subScores = { quality: 60, originality: 70, utility: clampScore(scale(input.size, 1_000, 1_000_000)), documentation: documented ? 75 : 40 };
    return {
      voteScore: clampScore(weighted([[subScores.quality, 1], [subScores.originality, 1], [subScores.utility, 1], [subScores.documentation, 1]])),
      subScores,
      reasoning: `Dataset in ${input.mediaType}: its structure could not be inspected from a sample; scored on size and documentation.`,
      details: { format: input.mediaType, inspected: false, sampledBytes: input.sample.byteLength },
    };
  }
  const { header, rows } = table;
  const width = header?.length ?? modalLength(rows);
  const consistent = rows.length ? rows.filter((r) => r.length === width).length / rows.length : 0;
  const cells = rows.flat();
  const missing = cells.length ? cells.filter((c) => cellType(c) === "missing").length / cells.length : 1;
  const seen = new Set<string>();
  let duplicateRows = 0;
  for (const r of rows) {
    const key = r.join("\u0001");
    if (seen.has(key)) duplicateRows++;
    else seen.add(key);
  }
  const duplicateRatio = rows.length ? duplicateRows / rows.length : 0;
  // A column is typed when ≥ 90% of its present cells share one type.
  let typedColumns = 0;
  for (let col = 0; col < width; col++) {
    const types = rows.map((r) => cellType(r[col] ?? "")).filter((t) => t !== "missing");
    if (types.length === 0) continue;
    const counts = new Map<CellType, number>();
    for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (Math.max(...counts.values()) / types.length >= 0.9) typedColumns++;
  }
  const typedRatio = width ? typedColumns / width : 0;
  const descriptiveHeader = header ? header.filter((h) => h.trim() && !GENERIC_NAME.test(h.trim())).length / header.length : 0;
  const dictionary = ["columns", "schema", "fields", "data_dictionary", "dictionary"].some((k) => k in input.metadata);

  const quality = clampScore(
    weighted([
      [table.parseErrors ? 20 : 100, 1],
      [scale(consistent, 0.7, 1), 2],
      [scale(missing, 0.3, 0), 1.5],
      [scale(typedRatio, 0.3, 1), 1],
    ]),
  );
  const originality = clampScore(scale(duplicateRatio, 0.4, 0.01));
  const utility = clampScore(weighted([[scale(rows.length, 2, 200), 1.5], [scale(width, 1, 4), 1], [scale(typedRatio, 0.3, 1), 0.5]]));
  const documentation = clampScore(
    weighted([
      [header ? 100 : 20, 1.5],
      [scale(descriptiveHeader, 0.3, 1), 1],
      [dictionary ? 100 : 40, 1],
      [input.description.trim().length >= 40 ? 100 : 40, 0.5],
    ]),
  );
  const voteScore = clampScore(weighted([[quality, 0.35], [originality, 0.2], [utility, 0.25], [documentation, 0.2]]));
  const notes: string[] = [];
  if (table.parseErrors) notes.push(`${table.parseErrors} record(s) failed to parse`);
  if (consistent < 0.95) notes.push(`${Math.round((1 - consistent) * 100)}% of rows have the wrong number of columns`);
  if (missing > 0.05) notes.push(`${Math.round(missing * 100)}% missing values`);
  if (duplicateRatio > 0.05) notes.push(`${Math.round(duplicateRatio * 100)}% duplicate rows`);
  if (!header) notes.push("no header row");
  if (rows.length < 20) notes.push(`only ${rows.length} rows`);
  return {
    voteScore,
    subScores: { quality, originality, utility, documentation },
    reasoning: notes.length ? `Dataset review: ${notes.join("; ")}.` : `Dataset review: ${rows.length}+ consistent, typed rows with a descriptive header.`,
    details: {
      format: table.format,
      rowsSampled: rows.length,
      columns: width,
      consistentRowRatio: Math.round(consistent * 1000) / 1000,
      missingRatio: Math.round(missing * 1000) / 1000,
      duplicateRowRatio: Math.round(duplicateRatio * 1000) / 1000,
      typedColumnRatio: Math.round(typedRatio * 1000) / 1000,
      header: !!header,
      dataDictionary: dictionary,
      sampledBytes: input.sample.byteLength,
      complete: input.complete,
    },
  };
}
