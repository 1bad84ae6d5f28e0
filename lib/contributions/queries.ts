import "server-only";

import { eq, sql, type SQL } from "drizzle-orm";

import { getDb, queryRowsPrepared } from "@/db/client";
import { isoText } from "@/db/iso-text";
import { contributions, rewards, users, type ContributionStatus, type FileType } from "@/db/schema";
import { checksum } from "@/lib/checksum";
import { NotFoundError } from "@/lib/errors";
import { toPage, type Cursor, type Page } from "@/lib/pagination";

import { toPublicContribution, trimAmount, type PublicContribution } from "./model";
import { WITHHELD_STATUS, assertFileVisible, assertVisible, withholdFrom, type ViewerSource } from "./visibility";

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

/**
 * The list's columns, already in the API's shape (snake_case names, ISO dates, numbers as numbers):
 * the rows need no per-column decoding, only the owner's checksum. Same order as PublicContribution.
 */
const LIST_COLUMNS = sql.join(
  [
    sql`${contributions.id}`,
    sql`${users.address} AS owner`,
    sql`${contributions.cid}`,
    sql`${contributions.sha256}`,
    sql`${contributions.fileName}`,
    sql`${contributions.fileType}`,
    sql`${contributions.mediaType}`,
    sql`${contributions.sizeBytes}::float8 AS size`,
    sql`${contributions.title}`,
    sql`${contributions.description}`,
    sql`${contributions.metadata}`,
    sql`${contributions.status}`,
    sql`${contributions.qualityScore}::float8 AS quality_score`,
    sql`${contributions.verificationCount}`,
    sql`${contributions.duplicateOf}`,
    sql`${contributions.haltReason}`,
    sql`${isoText(contributions.createdAt)} AS created_at`,
    sql`${isoText(contributions.updatedAt)} AS updated_at`,
    sql`${isoText(contributions.decidedAt)} AS decided_at`,
    sql`${contributions.createdAt}::text AS cursor_at`,
  ],
  sql`, `,
);

type ListRow = PublicContribution & { cursor_at: string };

function buildList(shape: ListShape): SQL {
  const where: SQL[] = [];
  if (shape.status) where.push(sql`${contributions.status} = ${sql.placeholder("status")}`);
  if (shape.type) where.push(sql`${contributions.fileType} = ${sql.placeholder("type")}`);
  // By user id through a scalar subquery (not users.address through the join): PostgreSQL then walks
  // (user_id, created_at, id) backwards and stops after one page, even for owners of 10,000 rows.
  if (shape.owner) where.push(sql`${contributions.userId} = (SELECT ${users.id} FROM ${users} WHERE ${users.address} = ${sql.placeholder("owner")})`);
  if (shape.q) where.push(sql`${contributions.title} ILIKE ${sql.placeholder("q")}`);
  if (shape.cursor) {
    where.push(sql`(${contributions.createdAt}, ${contributions.id}) < (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)`);
  }
  return sql`SELECT ${LIST_COLUMNS} FROM ${contributions} INNER JOIN ${users} ON ${users.id} = ${contributions.userId}${
    where.length ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``
  } ORDER BY ${contributions.createdAt} DESC, ${contributions.id} DESC LIMIT ${sql.placeholder("limit")}`;
}

// The list is the hottest query: each filter combination is built and rendered once, then run as a
// server-side prepared statement whose rows come back in the API's shape (no ORM decoding per row).
const listQueries = new Map<string, SQL>();

const toListItem = (row: ListRow): PublicContribution => ({
  id: row.id,
  owner: checksum(row.owner),
  cid: row.cid,
  sha256: row.sha256,
  file_name: row.file_name,
  file_type: row.file_type,
  media_type: row.media_type,
  size: row.size,
  title: row.title,
  description: row.description,
  metadata: row.metadata,
  status: row.status,
  quality_score: row.quality_score,
  verification_count: row.verification_count,
  duplicate_of: row.duplicate_of,
  halt_reason: row.halt_reason,
  created_at: row.created_at,
  updated_at: row.updated_at,
  decided_at: row.decided_at,
});

/**
 * Newest first, keyset-paginated on (created_at, id): one statement whatever the page size. Each
 * filter has an index leading with it and ending (created_at, id); `q` uses the trigram index.
 */
export async function listContributions(f: ListFilters, viewer: ViewerSource): Promise<Page<PublicContribution>> {
  const key = `${+!!f.status}${+!!f.type}${+!!f.owner}${+!!f.q}${+!!f.cursor}`;
  let query = listQueries.get(key);
  if (!query) listQueries.set(key, (query = buildList({ status: !!f.status, type: !!f.type, owner: !!f.owner, q: !!f.q, cursor: !!f.cursor })));
  const rows = await queryRowsPrepared<ListRow>(query, {
    status: f.status,
    type: f.type,
    owner: f.owner?.toLowerCase(),
    q: f.q ? `%${f.q.replace(LIKE_SPECIALS, (c) => `\\${c}`)}%` : undefined,
    cursorAt: f.cursor?.createdAt,
    cursorId: f.cursor?.id,
    limit: f.limit + 1,
  });
  const page = toPage(rows, f.limit, toListItem);
  return { ...page, items: await withholdFrom(page.items, viewer) };
}

export interface ContributionDetail extends PublicContribution {
  reward: { amount: string; status: string; tx_hash: string | null } | null;
}

/** A contribution as the server knows it: the public fields plus what only the server uses. */
export type KnownContribution = ContributionDetail & {
  userId: string;
  /** Its bytes are withheld (a contribution with the same CID is halted): see getContributionFile. */
  contentWithheld: boolean;
};

/** The API's answer for a contribution: the public fields only. */
export function toApiContribution({ userId: _owner, contentWithheld: _withheld, ...contribution }: KnownContribution): ContributionDetail {
  return contribution;
}

/** Is any contribution with this row's CID halted? (The cid index; `h` hides nothing of the outer row.) */
const cidHalted = (cid: typeof contributions.cid) =>
  sql<boolean>`EXISTS (SELECT 1 FROM ${contributions} h WHERE h.cid = ${cid} AND h.status = ${WITHHELD_STATUS})`;

/** One contribution with its owner and reward (if any): one statement. Withheld ones only for their owner and admins. */
export async function getContribution(id: string, viewer: ViewerSource): Promise<KnownContribution> {
  const [row] = await getDb()
    .select({
      ...contributionColumns,
      userId: contributions.userId,
      contentWithheld: cidHalted(contributions.cid),
      rewardAmount: rewards.amount,
      rewardStatus: rewards.status,
      rewardTx: rewards.txHash,
    })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .leftJoin(rewards, eq(rewards.contributionId, contributions.id))
    .where(eq(contributions.id, id));
  if (!row) throw new NotFoundError("No contribution with this id");
  await assertVisible(row, viewer);
  const reward = row.rewardAmount ? { amount: trimAmount(row.rewardAmount), status: row.rewardStatus!, tx_hash: row.rewardTx } : null;
  return { ...toPublicContribution(row), reward, userId: row.userId, contentWithheld: row.contentWithheld };
}

/**
 * What a download needs, nothing more, for a viewer allowed to have the bytes: withheld while any
 * contribution with the same CID is halted, except for this one's owner and admins.
 */
export async function getContributionFile(id: string, viewer: ViewerSource) {
  const [row] = await getDb()
    .select({
      cid: contributions.cid,
      sha256: contributions.sha256,
      fileName: contributions.fileName,
      mediaType: contributions.mediaType,
      size: contributions.sizeBytes,
      ownerAddress: users.address,
      withheld: cidHalted(contributions.cid),
    })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .where(eq(contributions.id, id));
  if (!row) throw new NotFoundError("No contribution with this id");
  await assertFileVisible(row, viewer);
  return row;
}
