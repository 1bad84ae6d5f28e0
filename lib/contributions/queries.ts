import "server-only";

import { and, desc, eq, ilike, sql, type SQL } from "drizzle-orm";

import { getDb, type Db } from "@/db/client";
import { contributions, rewards, users, type ContributionStatus, type FileType } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

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

type ListShape = { status: boolean; type: boolean; owner: boolean; q: boolean; cursor: boolean };

function buildList(db: Db, shape: ListShape) {
  const where: SQL[] = [];
  if (shape.status) where.push(eq(contributions.status, sql.placeholder("status")));
  if (shape.type) where.push(eq(contributions.fileType, sql.placeholder("type")));
  // By user id through a scalar subquery (not users.address through the join): PostgreSQL then walks
  // (user_id, created_at, id) backwards and stops after one page, even for owners of 10,000 rows.
  if (shape.owner) where.push(eq(contributions.userId, sql`(SELECT ${users.id} FROM ${users} WHERE ${users.address} = ${sql.placeholder("owner")})`));
  if (shape.q) where.push(ilike(contributions.title, sql.placeholder("q")));
  if (shape.cursor) {
    where.push(sql`(${contributions.createdAt}, ${contributions.id}) < (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)`);
  }
  return db
    .select({ ...contributionColumns, cursorAt: cursorText(contributions.createdAt) })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .where(and(...where))
    .orderBy(desc(contributions.createdAt), desc(contributions.id))
    .limit(sql.placeholder("limit"))
    .prepare(`contributions_list_${Number(shape.status)}${Number(shape.type)}${Number(shape.owner)}${Number(shape.q)}${Number(shape.cursor)}`);
}

// The list is the hottest query: each filter combination is built once per database handle and
// run as a prepared statement (no per-call query building).
const preparedLists = new WeakMap<Db, Map<string, ReturnType<typeof buildList>>>();

/**
 * Newest first, keyset-paginated on (created_at, id): one statement whatever the page size. Each
 * filter has an index leading with it and ending (created_at, id); `q` uses the trigram index.
 */
export async function listContributions(f: ListFilters): Promise<Page<PublicContribution>> {
  const db = getDb();
  const shape: ListShape = { status: !!f.status, type: !!f.type, owner: !!f.owner, q: !!f.q, cursor: !!f.cursor };
  const key = JSON.stringify(shape);
  let cache = preparedLists.get(db);
  if (!cache) preparedLists.set(db, (cache = new Map()));
  let query = cache.get(key);
  if (!query) cache.set(key, (query = buildList(db, shape)));
  const rows = await query.execute({
    status: f.status,
    type: f.type,
    owner: f.owner?.toLowerCase(),
    q: f.q ? `%${f.q.replace(LIKE_SPECIALS, (c) => `\\${c}`)}%` : undefined,
    cursorAt: f.cursor?.createdAt,
    cursorId: f.cursor?.id,
    limit: f.limit + 1,
  });
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
