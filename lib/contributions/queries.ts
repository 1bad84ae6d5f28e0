import "server-only";

import { and, desc, eq, ilike, type SQL } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributions, rewards, users, type ContributionStatus, type FileType } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { before, cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

import { toPublicContribution, trimAmount, type PublicContribution } from "./model";

/** Explicit columns: what a contribution shows, plus its owner's address, in one joined statement. */
export const contributionColumns = {
  id: contributions.id,
  cid: contributions.cid,
  sha256: contributions.sha256,
  fileName: contributions.fileName,
  fileType: contributions.fileType,
  mediaType: contributions.mediaType,
  sizeBytes: contributions.sizeBytes,
  title: contributions.title,
  description: contributions.description,
  metadata: contributions.metadata,
  status: contributions.status,
  qualityScore: contributions.qualityScore,
  verificationCount: contributions.verificationCount,
  duplicateOf: contributions.duplicateOf,
  haltReason: contributions.haltReason,
  createdAt: contributions.createdAt,
  updatedAt: contributions.updatedAt,
  decidedAt: contributions.decidedAt,
  ownerAddress: users.address,
};

export interface ListFilters {
  status?: ContributionStatus;
  type?: FileType;
  /** Owner's address, any case. */
  owner?: string;
  /** Case-insensitive substring of the title. */
  q?: string;
  cursor?: Cursor;
  limit: number;
}

const LIKE_SPECIALS = /[\\%_]/g;

/**
 * Newest first, keyset-paginated on (created_at, id): one statement whatever the page size. Each
 * filter has an index leading with it and ending (created_at, id); `q` uses the trigram index.
 */
export async function listContributions(f: ListFilters): Promise<Page<PublicContribution>> {
  const where: SQL[] = [];
  if (f.status) where.push(eq(contributions.status, f.status));
  if (f.type) where.push(eq(contributions.fileType, f.type));
  if (f.owner) where.push(eq(users.address, f.owner.toLowerCase()));
  if (f.q) where.push(ilike(contributions.title, `%${f.q.replace(LIKE_SPECIALS, (c) => `\\${c}`)}%`));
  if (f.cursor) where.push(before(contributions.createdAt, contributions.id, f.cursor));
  const rows = await getDb()
    .select({ ...contributionColumns, cursorAt: cursorText(contributions.createdAt) })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .where(and(...where))
    .orderBy(desc(contributions.createdAt), desc(contributions.id))
    .limit(f.limit + 1);
  return toPage(rows, f.limit, toPublicContribution);
}

export interface ContributionDetail extends PublicContribution {
  reward: { amount: string; status: string; tx_hash: string | null } | null;
}

/** One contribution with its owner and reward (if any): one statement. */
export async function getContribution(id: string): Promise<ContributionDetail & { userId: string }> {
  const [row] = await getDb()
    .select({ ...contributionColumns, userId: contributions.userId, rewardAmount: rewards.amount, rewardStatus: rewards.status, rewardTx: rewards.txHash })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .leftJoin(rewards, eq(rewards.contributionId, contributions.id))
    .where(eq(contributions.id, id));
  if (!row) throw new NotFoundError("No contribution with this id");
  const reward = row.rewardAmount ? { amount: trimAmount(row.rewardAmount), status: row.rewardStatus!, tx_hash: row.rewardTx } : null;
  return { ...toPublicContribution(row), reward, userId: row.userId };
}

/** What a download needs, nothing more. */
export async function getContributionFile(id: string) {
  const [row] = await getDb()
    .select({ cid: contributions.cid, sha256: contributions.sha256, fileName: contributions.fileName, mediaType: contributions.mediaType, size: contributions.sizeBytes })
    .from(contributions)
    .where(eq(contributions.id, id));
  if (!row) throw new NotFoundError("No contribution with this id");
  return row;
}
