import type { FileType } from "@/db/schema";

/** Reward weight per file type. */
export const TYPE_WEIGHT: Record<FileType, number> = { code: 1.5, dataset: 1.3, document: 1.0 };
export const BASE_REWARD = 10;

export interface RewardInput {
  /** Quality score of this contribution, 0–100. */
  quality: number;
  fileType: FileType;
  /** The contributor's verified contributions, this one included. */
  verifiedContributions: number;
  /** Average quality of the contributor's verified contributions, this one included (0–100). */
  averageQuality: number;
  /** The contributor's reputation before this decision. */
  reputation: number;
}

/**
 * amount = 10 × (0.5 + q/100 × 1.5) × type weight × (1 + bonus), where
 * bonus = min(n/100, 0.3) + (avg quality/100) × 0.4 + min(reputation/10, 0.3), capped at 1;
 * rounded to 2 decimals. Returned as a decimal string for the numeric column.
 */
export function rewardAmount(r: RewardInput): string {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const q = clamp(r.quality, 0, 100);
  const bonus = Math.min(
    1,
    Math.min(Math.max(r.verifiedContributions, 0) / 100, 0.3) + (clamp(r.averageQuality, 0, 100) / 100) * 0.4 + Math.min(Math.max(r.reputation, 0) / 10, 0.3),
  );
  const amount = BASE_REWARD * (0.5 + (q / 100) * 1.5) * TYPE_WEIGHT[r.fileType] * (1 + bonus);
  return (Math.round(amount * 100) / 100).toFixed(2);
}
