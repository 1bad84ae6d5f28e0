/**
 * The files the previews scenario measures, generated deterministically 1 MiB at a time (never held
 * whole): a CSV and an NDJSON file of PREVIEW_SIZE bytes, a zip of 10,000 files, a repository tar of
 * PREVIEW_SIZE bytes; Parquet files come from bench/parquet-gen.ts on disk.
 */
import type { FileType } from "@/db/schema";
import { storedZip, ustarHeader } from "@/test/archive-builders";

export interface PreviewCase {
  name: "csv" | "ndjson" | "zip-10k" | "parquet-16" | "parquet-128" | "repository-tar";
  label: string;
  fileName: string;
  mediaType: string;
  fileType: FileType;
  /** Row group bytes, for the Parquet cases (written by parquet-gen.ts). */
  rowGroup?: number;
  generate?: () => AsyncIterable<Uint8Array>;
}

export interface PreviewCaseResult {
  name: PreviewCase["name"];
  size: number;
  kind: string;
  shown: string;
  coldMs: number;
  warmMs: number;
  bytesRead: number;
  rssGrowth: number;
  agent: { ms: number; bytesRead: number; files: number; score: number | null; growth: number; reasoning: string };
}

const MiB = 2 ** 20;
const size = () => Number(process.env.PREVIEW_SIZE ?? 2 ** 30);

/** Lines from `line(i)`, packed into 1 MiB chunks, up to `total` bytes (whole lines only). */
async function* lines(total: number, header: string, line: (i: number) => string): AsyncIterable<Uint8Array> {
  let sent = 0;
  let i = 0;
  let chunk = header;
  while (sent + chunk.length < total) {
    const next = line(i++);
    if (sent + chunk.length + next.length > total) break;
    chunk += next;
    if (chunk.length >= MiB) {
      yield Buffer.from(chunk);
      sent += chunk.length;
      chunk = "";
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

const CONDITIONS = ["clear", "cloudy", "rain", "fog", "snow"];
const reading = (i: number) => ({
  id: i,
  station: `ST${String((i % 97) + 1).padStart(3, "0")}`,
  observed_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
  temperature_c: Math.round(((i * 7919) % 400) - 100) / 10,
  humidity_pct: (i * 31) % 101,
  condition: CONDITIONS[i % 5]!,
});

function csv(): AsyncIterable<Uint8Array> {
  return lines(size(), "id,station,observed_at,temperature_c,humidity_pct,condition\n", (i) => {
    const r = reading(i);
    return `${r.id},${r.station},${r.observed_at},${r.temperature_c},${r.humidity_pct},${r.condition}\n`;
  });
}

function ndjson(): AsyncIterable<Uint8Array> {
  return lines(size(), "", (i) => `${JSON.stringify(reading(i))}\n`);
}


/** A module of about `bytes` of real-looking Python: functions with docstrings and comments. */
function pythonModule(n: number, bytes: number): Buffer {
  const parts = [`# SPDX-License-Identifier: MIT\n"""Readings module ${n}: conversions and summaries."""\n\nimport math\n\n`];
  let length = parts[0]!.length;
  for (let f = 0; length < bytes; f++) {
    const body = `\ndef scale_${n}_${f}(values, factor=${(f % 9) + 1}):\n    """Scale each reading by the factor, skipping missing ones."""\n    # Missing readings stay missing.\n    return [v * factor for v in values if v is not None]\n\n\ndef spread_${n}_${f}(values):\n    """Standard deviation of the readings (0 for fewer than two)."""\n    if len(values) < 2:\n        return 0.0\n    mean = sum(values) / len(values)\n    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))\n`;
    parts.push(body);
    length += body.length;
  }
  return Buffer.from(parts.join(""));
}

/** A repository tar: README, LICENSE, tests, then modules of 100 KiB up to PREVIEW_SIZE. */
async function* repositoryTar(): AsyncIterable<Uint8Array> {
  const total = size();
  const files: [string, Buffer][] = [
    ["repo/README.md", Buffer.from("# readings\n\nConversions and summaries of sensor readings.\n\n## Usage\n\n`from readings import m0`\n")],
    ["repo/LICENSE", Buffer.from("MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n")],
    ["repo/tests/test_m0.py", Buffer.from("from readings.m0 import scale_0_0\n\n\ndef test_scale():\n    assert scale_0_0([1, None, 2], 2) == [2, 4]\n")],
  ];
  let sent = 0;
  const entry = (name: string, data: Buffer) => {
    const padded = Buffer.concat([ustarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
    sent += padded.length;
    return padded;
  };
  for (const [name, data] of files) yield entry(name, data);
  for (let n = 0; sent + 101 * 1024 + 1024 < total; n++) yield entry(`repo/readings/m${n}.py`, pythonModule(n, 100 * 1024));
  yield Buffer.alloc(1024);
}

/** A stored zip of `n` two-line CSV files. */
async function* zipOf(n: number): AsyncIterable<Uint8Array> {
  yield* storedZip(n, (i) => ({ name: `data/part-${String(i).padStart(5, "0")}.csv`, data: Buffer.from(`id,value\n${i},${(i * 37) % 1000}\n`) }));
}

export const CASES: PreviewCase[] = [
  { name: "csv", label: "CSV", fileName: "readings.csv", mediaType: "text/csv", fileType: "dataset", generate: csv },
  { name: "ndjson", label: "NDJSON", fileName: "readings.ndjson", mediaType: "application/x-ndjson", fileType: "dataset", generate: ndjson },
  { name: "zip-10k", label: "zip of 10,000 files", fileName: "parts.zip", mediaType: "application/zip", fileType: "dataset", generate: () => zipOf(10_000) },
  { name: "parquet-16", label: "Parquet, 16 MiB row groups", fileName: "readings-16.parquet", mediaType: "application/vnd.apache.parquet", fileType: "dataset", rowGroup: 16 * MiB },
  { name: "parquet-128", label: "Parquet, 128 MiB row groups", fileName: "readings-128.parquet", mediaType: "application/vnd.apache.parquet", fileType: "dataset", rowGroup: 128 * MiB },
  { name: "repository-tar", label: "repository tar", fileName: "readings.tar", mediaType: "application/x-tar", fileType: "code", generate: repositoryTar },
];
