import type { FileType } from "@/db/schema";
import type { ArrayPreview } from "@/lib/previews/schema";

export interface AgentInput {
  fileType: FileType;
  mediaType: string;
  fileName: string;
  size: number;
  title: string;
  description: string;
  metadata: Record<string, unknown>;
  /** A bounded prefix of the file (never the whole of a large file). */
  sample: Uint8Array;
  /** True when `sample` is the whole file. */
  complete: boolean;
  /** What inspect() read: the file, or an archive's listing and the files inside, tables and arrays. */
  inspection: Inspection;
}

/** One file read: its first bytes (`complete` when they are all of it). */
export interface AgentFile {
  path: string;
  size: number;
  mediaType: string;
  bytes: Uint8Array;
  complete: boolean;
  /** Why an archive member could not be read. */
  unreadable?: string;
}

/** A table decoded from a binary format (Parquet): its header and first rows. */
export interface AgentTable {
  path: string;
  format: "parquet" | "arrow" | "sqlite";
  header: string[];
  rows: unknown[][];
  totalRows: number;
}

export type AgentArray = ArrayPreview & { path: string };

export interface Inspection {
  /** An archive's files as listed (path, declared size); null for a single file. */
  entries: { path: string; size: number }[] | null;
  /** The listing stops short of the whole archive. */
  entriesPartial: boolean;
  /** Files read as bytes: the upload itself, or the archive members picked. */
  files: AgentFile[];
  tables: AgentTable[];
  arrays: AgentArray[];
  /** A PDF's page count and first page's text. */
  pdf: { pages: number; text: string } | null;
  /** Why the upload cannot be read as its format says. */
  unreadable: string | null;
  /** Which bound stopped reading short, if one did. */
  stoppedBy: string | null;
  bytesRead: number;
}

/** A vote, or an abstention (`voteScore` null: the agent cannot judge this format; `reasoning` says why). */
export interface AgentVerdict {
  voteScore: number | null;
  subScores: Record<string, number>;
  reasoning: string;
  details: Record<string, unknown>;
}

export const clampScore = (v: number) => Math.max(0, Math.min(100, Math.round(v)));

/** Every sub-score any vote may carry, named once. */
export const SUB_SCORE_NAMES = ["quality", "originality", "security", "documentation", "utility", "accuracy", "completeness"] as const;
export type SubScoreName = (typeof SUB_SCORE_NAMES)[number];

/** The sub-scores every agent (and human verifier) gives, by file type. */
export const SUB_SCORES: Record<FileType, readonly SubScoreName[]> = {
  code: ["quality", "originality", "security", "documentation"],
  dataset: ["quality", "originality", "utility", "documentation"],
  document: ["quality", "originality", "accuracy", "completeness"],
};
