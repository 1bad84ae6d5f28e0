import "server-only";

import { and, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";

import { cacheTag } from "@/db/cache-tags";
import { getDb, getReadDb, queryRowsPrepared } from "@/db/client";
import { cached } from "@/lib/cache";
import { appeals, contributionReads, contributions, previews, rewards, users, type ContributionStatus, type FileType } from "@/db/schema";
import { VERIFICATION_KIND } from "@/db/vocabulary";
import type { Preview } from "@/lib/previews/schema";
import { PREVIEWER_VERSION } from "@/lib/previews/stored";
import { NotFoundError } from "@/lib/errors";
import { appealColumns, toPublicAppeal } from "@/lib/verification/appeals";
import type { Decision } from "@/lib/verification/decision";
import { cappedCount, toPage, type Cursor, type Page } from "@/lib/pagination";
import { monthOf } from "@/lib/revenue/period";

import { LIST_COLUMNS, contributionColumns, contributionDetailSchema, toListItem, type ListRow as FieldListRow } from "./fields";
import { toPublicContribution, trimAmount, type PublicContribution } from "./model";
import { WITHHELD_STATUS, assertFileVisible, assertVisible, withholdFrom, type ViewerSource } from "./visibility";

/** The drizzle selection of a contribution (derived from the field table in ./fields). */
export { contributionColumns };

export interface ListFilters {
  status?: ContributionStatus;
  type?: FileType;
  /** Owner's address, any case. */
  owner?: string;
  /** Case-insensitive substring of the title, or a word of it misspelt (trigram similarity). */
  q?: string;
  cursor?: Cursor;
  limit: number;
}

const LIKE_SPECIALS = /[\\%_]/g;

/** `q` as an ILIKE pattern matching it anywhere, its own % _ \\ taken literally. */
export const containsPattern = (q: string) => `%${q.replace(LIKE_SPECIALS, (c) => `\\${c}`)}%`;

type ListShape = { status: boolean; type: boolean; owner: boolean; q: boolean; cursor: boolean; back: boolean };

type ListRow = FieldListRow<"cursor_at">;

/** The list's WHERE conditions (shared by its page and its total). */
function listWhere(shape: Omit<ListShape, "cursor" | "back">): SQL {
  // Calibration items are never listed (lib/verification/calibration.ts).
  const where: SQL[] = [sql`NOT ${contributions.calibration}`];
  if (shape.status) where.push(sql`${contributions.status} = ${sql.placeholder("status")}`);
  if (shape.type) where.push(sql`${contributions.fileType} = ${sql.placeholder("type")}`);
  // By user id through a scalar subquery (not users.address through the join): PostgreSQL then walks
  // (user_id, created_at, id) backwards and stops after one page, even for owners of 10,000 rows.
  if (shape.owner) where.push(sql`${contributions.userId} = (SELECT ${users.id} FROM ${users} WHERE ${users.address} = ${sql.placeholder("owner")})`);
  // A substring, or a word close to one of the title's (pg_trgm's word_similarity ≥ 0.6: "fibonaci"
  // finds "Fibonacci"); both through the title's trigram index.
  if (shape.q) where.push(sql`(${contributions.title} ILIKE ${sql.placeholder("q")} OR ${sql.placeholder("qWord")}::text <% ${contributions.title})`);
  return sql.join(where, sql` AND `);
}

function buildList(shape: ListShape): SQL {
  const cmp = shape.back ? sql`>` : sql`<`;
  const dir = shape.back ? sql`ASC` : sql`DESC`;
  const cursor = shape.cursor
    ? sql` AND (${contributions.createdAt}, ${contributions.id}) ${cmp} (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)`
    : sql``;
  return sql`SELECT ${LIST_COLUMNS}, ${contributions.createdAt}::text AS cursor_at FROM ${contributions} INNER JOIN ${users} ON ${users.id} = ${contributions.userId} WHERE ${listWhere(shape)}${cursor} ORDER BY ${contributions.createdAt} ${dir}, ${contributions.id} ${dir} LIMIT ${sql.placeholder("limit")}`;
}

// The list is the hottest query: each filter combination is built and rendered once, then run as a
// server-side prepared statement whose rows come back in the API's shape (no ORM decoding per row).
const listQueries = new Map<string, SQL>();
const countQueries = new Map<string, SQL>();

const LIST_DEPENDENCIES = { tables: ["contributions"], anyChange: true } as const;

const listParams = (f: Omit<ListFilters, "limit" | "cursor">) => ({
  status: f.status,
  type: f.type,
  owner: f.owner?.toLowerCase(),
  q: f.q ? containsPattern(f.q) : undefined,
  qWord: f.q,
});

/**
 * Newest first, keyset-paginated on (created_at, id): one statement whatever the page size. Each
 * filter has an index leading with it and ending (created_at, id); `q` uses the trigram index. A
 * `back` cursor reads the page before it (newest first too).
 */
export async function listContributions(f: ListFilters, viewer: ViewerSource): Promise<Page<PublicContribution>> {
  const shape = { status: !!f.status, type: !!f.type, owner: !!f.owner, q: !!f.q, cursor: !!f.cursor, back: !!f.cursor?.back };
  const key = Object.values(shape).map(Number).join("");
  let query = listQueries.get(key);
  if (!query) listQueries.set(key, (query = buildList(shape)));
  const params = { ...listParams(f), cursorAt: f.cursor?.createdAt, cursorId: f.cursor?.id, limit: f.limit + 1 };
  // The page as everyone may see it is cached per filter shape, values and cursor; withheld rows are
  // replaced per viewer after. Any contribution change may move any page (owners' addresses never change).
  const page = await cached(`list ${key} ${JSON.stringify(params)}`, LIST_DEPENDENCIES, async () => ({
    value: toPage(await queryRowsPrepared<ListRow>(query, params, { read: true }), f.limit, toListItem, f.cursor),
    tags: [],
  }));
  const items = await withholdFrom(page.items, viewer);
  // Nothing withheld from this viewer: the cached page itself (its JSON is then made once, lib/http/json-response.ts).
  return items === page.items ? page : { ...page, items };
}

/** How many contributions the list's filters match, counted up to TOTAL_CAP + 1 (see formatTotal). */
export async function countContributions(f: Omit<ListFilters, "limit" | "cursor">): Promise<number> {
  const shape = { status: !!f.status, type: !!f.type, owner: !!f.owner, q: !!f.q };
  const key = Object.values(shape).map(Number).join("");
  let query = countQueries.get(key);
  if (!query) countQueries.set(key, (query = cappedCount(sql`FROM ${contributions} WHERE ${listWhere(shape)}`)));
  const [row] = await queryRowsPrepared<{ n: number }>(query, listParams(f), { read: true });
  return row?.n ?? 0;
}

export type ContributionDetail = z.output<typeof contributionDetailSchema>;

/** A contribution as the server knows it: the public fields plus what only the server uses. */
export type KnownContribution = ContributionDetail & {
  userId: string;
  /** Its bytes are withheld (a contribution with the same CID is halted): see getContributionFile. */
  contentWithheld: boolean;
  /** A calibration item: its votes stay sealed to all but admins (never in the API's answer). */
  calibration: boolean;
  /** Its stored preview when current (lib/previews/stored.ts), for pages; the API serves /preview. */
  preview: Preview | null;
};

/** The API's answer for a contribution: the public fields only. */
export function toApiContribution({ userId: _owner, contentWithheld: _withheld, calibration: _calibration, preview: _preview, ...contribution }: KnownContribution): ContributionDetail {
  return contribution;
}

/** Is any contribution with this row's CID halted? (The cid index; `h` hides nothing of the outer row.) */
const cidHalted = (cid: typeof contributions.cid) =>
  sql<boolean>`EXISTS (SELECT 1 FROM ${contributions} h WHERE h.cid = ${cid} AND h.status = ${WITHHELD_STATUS})`;

/** This month's counted API reads of the outer row's contribution (the primary key). */
const readsThisMonth = (period: string) =>
  sql<number>`coalesce((SELECT ${contributionReads.reads} FROM ${contributionReads} WHERE ${contributionReads.period} = ${period} AND ${contributionReads.contributionId} = ${contributions.id}), 0)::float8`;

/** One contribution with its owner, verification reward (if any) and this month's API reads: one statement. Withheld ones only for their owner and admins. */
export async function getContribution(id: string, viewer: ViewerSource): Promise<KnownContribution> {
  const period = monthOf(new Date());
  // Cached as the server knows it (what every viewer's answer derives from); visibility per viewer after.
  const contribution = await cached(`contribution ${id} ${period}`, DETAIL_DEPENDENCIES, async () => {
    const value = await readContribution(id, period);
    return { value, tags: value ? [cacheTag.contribution(id), cacheTag.cid(value.cid)] : [] };
  });
  if (!contribution) throw new NotFoundError("No contribution with this id");
  await assertVisible({ status: contribution.status, ownerAddress: contribution.owner }, viewer);
  return contribution;
}

/** What a contribution's answer reads: itself (and those sharing its CID), its reward, appeal, preview and reads. */
const DETAIL_DEPENDENCIES = { tables: ["contributions", "rewards", "appeals", "previews", "contribution_reads"] } as const;

async function readContribution(id: string, period: string): Promise<KnownContribution | null> {
  const [row] = await getReadDb()
    .select({
      ...contributionColumns,
      userId: contributions.userId,
      contentWithheld: cidHalted(contributions.cid),
      calibration: contributions.calibration,
      rewardAmount: rewards.amount,
      rewardStatus: rewards.status,
      rewardTx: rewards.txHash,
      decision: contributions.decision,
      appeal: appealColumns,
      previewBody: previews.body,
      previewVersion: previews.version,
      apiReads: readsThisMonth(period),
    })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .leftJoin(rewards, and(eq(rewards.contributionId, contributions.id), eq(rewards.kind, VERIFICATION_KIND)))
    .leftJoin(appeals, eq(appeals.contributionId, contributions.id))
    .leftJoin(previews, eq(previews.cid, contributions.cid))
    .where(eq(contributions.id, id));
  if (!row) return null;
  const reward = row.rewardAmount ? { amount: trimAmount(row.rewardAmount), status: row.rewardStatus!, tx_hash: row.rewardTx } : null;
  return { ...toPublicContribution(row), reward, decision: (row.decision as Decision | null) ?? null, appeal: row.appeal ? toPublicAppeal(row.appeal) : null,
    api_reads: { period, count: row.apiReads }, userId: row.userId, contentWithheld: row.contentWithheld,
    calibration: row.calibration,
    preview: row.previewVersion === PREVIEWER_VERSION ? (row.previewBody as unknown as Preview) : null,
  };
}

/**
 * What a download needs, nothing more, for a viewer allowed to have the bytes: withheld while any
 * contribution with the same CID is halted, except for this one's owner and admins.
 */
// On the primary: whether bytes may be served (withheld, halted) is decided on the freshest row.
export async function getContributionFile(id: string, viewer: ViewerSource) {
  const [row] = await getDb()
    .select({
      cid: contributions.cid,
      sha256: contributions.sha256,
      fileName: contributions.fileName,
      mediaType: contributions.mediaType,
      size: contributions.sizeBytes,
      ownerId: contributions.userId,
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
