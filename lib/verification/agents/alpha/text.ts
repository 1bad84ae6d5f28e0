import type { AgentVerdict } from "../types";

/** Shared text measurements for the analyzers (patterns compiled once, here). */
const LINE_SPLIT = /\r?\n/;

export function decodeSample(sample: Uint8Array, complete: boolean): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(sample);
  // Drop a last line cut by the sample boundary.
  return complete ? text : text.slice(0, Math.max(0, text.lastIndexOf("\n")));
}

export function lines(text: string): string[] {
  return text.split(LINE_SPLIT);
}

/** Share of non-blank lines that repeat an earlier one (trimmed); 0 for unique content. */
export function duplicateLineRatio(all: string[], minLength = 4): number {
  const seen = new Set<string>();
  let considered = 0;
  let repeats = 0;
  for (const raw of all) {
    const line = raw.trim();
    if (line.length < minLength) continue;
    considered++;
    if (seen.has(line)) repeats++;
    else seen.add(line);
  }
  return considered === 0 ? 0 : repeats / considered;
}

/** Maps a measured value onto 0–100 linearly between `bad` and `good` (either order). */
export function scale(value: number, bad: number, good: number): number {
  const t = (value - bad) / (good - bad);
  return Math.max(0, Math.min(100, t * 100));
}

export const weighted = (parts: [score: number, weight: number][]) => parts.reduce((sum, [s, w]) => sum + s * w, 0) / parts.reduce((sum, [, w]) => sum + w, 0);

/** `scale` on a log axis: order-of-magnitude differences in size weigh alike. */
export const logScale = (value: number, bad: number, good: number) => scale(Math.log10(Math.max(1, value)), Math.log10(Math.max(1, bad)), Math.log10(Math.max(1, good)));

/**
 * The vote: the analyzers' hygiene score scaled by substance (0–100) — a flawless but near-empty
 * contribution keeps 30% of its hygiene score, real work all of it.
 */
export const withSubstance = (hygiene: number, substance: number) => Math.max(0, Math.min(100, Math.round(hygiene * (0.3 + (0.7 * substance) / 100))));

/** No vote: the agent cannot judge this content. It carries no score and no weight. */
export function abstain(reason: string, details: Record<string, unknown> = {}): AgentVerdict {
  return { voteScore: null, subScores: {}, reasoning: `Abstained: ${reason}.`, details: { ...details, abstained: true, reason } };
}
