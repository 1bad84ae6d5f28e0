import { checksum } from "@/lib/checksum";

import type { Contribution } from "@/db/schema";

/** A contribution as the API and pages show it (snake_case, owner by checksummed address). */
export interface PublicContribution {
  id: string;
  owner: string;
  cid: string;
  sha256: string;
  file_name: string;
  file_type: Contribution["fileType"];
  media_type: string;
  size: number;
  title: string;
  description: string;
  metadata: Record<string, unknown>;
  status: Contribution["status"];
  quality_score: number | null;
  verification_count: number;
  duplicate_of: string | null;
  halt_reason: string | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
}

export type ContributionRow = Pick<
  Contribution,
  | "id"
  | "cid"
  | "sha256"
  | "fileName"
  | "fileType"
  | "mediaType"
  | "sizeBytes"
  | "title"
  | "description"
  | "metadata"
  | "status"
  | "qualityScore"
  | "verificationCount"
  | "duplicateOf"
  | "haltReason"
  | "createdAt"
  | "updatedAt"
  | "decidedAt"
> & { ownerAddress: string };

export function toPublicContribution(row: ContributionRow): PublicContribution {
  return {
    id: row.id,
    owner: checksum(row.ownerAddress),
    cid: row.cid,
    sha256: row.sha256,
    file_name: row.fileName,
    file_type: row.fileType,
    media_type: row.mediaType,
    size: row.sizeBytes,
    title: row.title,
    description: row.description,
    metadata: row.metadata,
    status: row.status,
    quality_score: row.qualityScore,
    verification_count: row.verificationCount,
    duplicate_of: row.duplicateOf,
    halt_reason: row.haltReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    decided_at: row.decidedAt?.toISOString() ?? null,
  };
}

/** "33.920000000000000000" → "33.92": the exact decimal, without trailing zeros. */
export function trimAmount(amount: string): string {
  return amount.includes(".") ? amount.replace(/0+$/, "").replace(/\.$/, "") : amount;
}
