import type { FileType } from "@/db/schema";

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
}

export interface AgentVerdict {
  voteScore: number;
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
