import { isSourceName } from "@/lib/formats/sniff";
import type { ArchiveEntry } from "@/lib/previews/archives";

/**
 * Which files inside an archive the agent reads, best first: the project's own documents (README,
 * licence…), then its source, tables and text — never vendored or generated trees, minified
 * bundles or lock files, which say nothing of the contributor's work.
 */
const GENERATED = /(^|\/)(node_modules|vendor|third_party|dist|build|out|target|\.git|\.hg|__pycache__|\.venv|venv|\.tox|\.next|coverage)\//;
const NOISE = /\.min\.(js|css)$|(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|go\.sum)$|(^|\/)\._|(^|\/)__MACOSX\//;
const PROJECT_DOC = /(^|\/)(readme|licen[cs]e|copying|notice|contributing|changelog|code_of_conduct)(\.[a-z]+)?$/i;
const DATA = /\.(csv|tsv|json|jsonl|ndjson|parquet|npy)$/i;
const TEXT = /\.(md|markdown|rst|txt|adoc)$/i;

function rank(path: string): number | null {
  if (GENERATED.test(path) || NOISE.test(path)) return null;
  if (PROJECT_DOC.test(path)) return 0;
  if (isSourceName(path) || DATA.test(path)) return 1;
  if (TEXT.test(path)) return 2;
  return null;
}

const depth = (path: string) => path.split("/").length;

export function pickFiles<E extends Pick<ArchiveEntry, "path" | "kind" | "size">>(entries: E[], max: number): E[] {
  return entries
    .filter((e) => e.kind === "file" && e.size > 0)
    .map((e) => ({ e, rank: rank(e.path) }))
    .filter((x): x is { e: E; rank: number } => x.rank !== null)
    .sort((a, b) => a.rank - b.rank || depth(a.e.path) - depth(b.e.path) || (a.e.path < b.e.path ? -1 : 1))
    .slice(0, max)
    .map((x) => x.e);
}

export const isProjectDoc = (path: string) => PROJECT_DOC.test(path);
export const isGenerated = (path: string) => GENERATED.test(path) || NOISE.test(path);
