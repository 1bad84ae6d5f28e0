import "server-only";

import { and, eq, sql, type SQL } from "drizzle-orm";
import { checksum } from "@/lib/checksum";

import { cacheTag } from "@/db/cache-tags";
import { getReadDb, queryRowsPrepared } from "@/db/client";
import { cached } from "@/lib/cache";
import { isoText } from "@/db/iso-text";
import { toNumber, toNumberOrNull } from "@/db/numeric";
import { HELD_STATUSES, OPEN_STATUSES, REVENUE_SHARE_KIND, sqlLiterals, type RewardKind } from "@/db/vocabulary";
import { contributions, rewards, users, type RewardStatus } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { toPage, type Cursor, type Page } from "@/lib/pagination";

export interface UserStats {
  address: string;
  reputation: number;
  contributions: { total: number; verified: number; rejected: number; pending: number; on_hold: number };
  average_quality: number | null;
  rewards: { count: number; pending: number; processing: number; distributed: number; failed: number; api_use: number };
}

const normalise = (address: string) => address.toLowerCase();
/** The reward kind "earned from API use" sums (a constant, never input). */
const API_USE = sql.raw(sqlLiterals([REVENUE_SHARE_KIND]));

// Built (and rendered to text) once; each call only binds the address.
const STATS_QUERY = sql`
      SELECT u.id, u.address, u.reputation,
        c.total, c.verified, c.rejected, c.pending, c.on_hold, c.average_quality,
        r.count AS reward_count, r.pending AS reward_pending, r.processing AS reward_processing,
        r.distributed AS reward_distributed, r.failed AS reward_failed, r.api_use AS reward_api_use
      FROM ${users} u
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS total,
          count(*) FILTER (WHERE status = 'verified')::int AS verified,
          count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
          count(*) FILTER (WHERE status IN (${sql.raw(sqlLiterals(OPEN_STATUSES))}))::int AS pending,
          count(*) FILTER (WHERE status IN (${sql.raw(sqlLiterals(HELD_STATUSES))}))::int AS on_hold,
          avg(quality_score) FILTER (WHERE status IN ('verified', 'rejected')) AS average_quality
        FROM ${contributions} WHERE user_id = u.id AND NOT calibration) c
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS count,
          coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0) AS pending,
          coalesce(sum(amount) FILTER (WHERE status = 'processing'), 0) AS processing,
          coalesce(sum(amount) FILTER (WHERE status = 'distributed'), 0) AS distributed,
          coalesce(sum(amount) FILTER (WHERE status = 'failed'), 0) AS failed,
          coalesce(sum(amount) FILTER (WHERE kind = ${API_USE}), 0) AS api_use
        FROM ${rewards} WHERE user_id = u.id) r
      WHERE u.address = ${sql.placeholder("address")}`;

/**
 * Everything a contributor's stats show, in ONE statement: the user by address, then two LATERAL
 * aggregates served by the (user_id, status) indexes. Constant memory whatever their history.
 */
export async function getUserStats(address: string): Promise<UserStats> {
  const key = normalise(address);
  const stats = await cached(`stats ${key}`, STATS_DEPENDENCIES, async () => {
    const [row] = await queryRowsPrepared<Record<string, string | number | null>>(STATS_QUERY, { address: key }, { read: true });
    return { value: row ? toStats(row) : null, tags: row ? [cacheTag.user(String(row.id))] : [] };
  });
  if (!stats) throw new NotFoundError("No user with this address");
  return stats;
}

/** The user's row, contributions and rewards: what a change of drops the cached stats. */
const STATS_DEPENDENCIES = { tables: ["users", "contributions", "rewards"] } as const;

function toStats(row: Record<string, string | number | null>): UserStats {
  const avgQuality = toNumberOrNull(row.average_quality);
  return {
    address: checksum(String(row.address)),
    reputation: Math.round(toNumber(row.reputation) * 100) / 100,
    contributions: {
      total: toNumber(row.total),
      verified: toNumber(row.verified),
      rejected: toNumber(row.rejected),
      pending: toNumber(row.pending),
      on_hold: toNumber(row.on_hold),
    },
    average_quality: avgQuality === null ? null : Math.round(avgQuality * 100) / 100,
    rewards: {
      count: toNumber(row.reward_count),
      pending: toNumber(row.reward_pending),
      processing: toNumber(row.reward_processing),
      distributed: toNumber(row.reward_distributed),
      failed: toNumber(row.reward_failed),
      api_use: toNumber(row.reward_api_use),
    },
  };
}

export interface PublicProfile {
  address: string;
  username: string | null;
  roles: string[];
  reputation: number;
  created_at: string;
}

export async function getUserProfile(address: string): Promise<PublicProfile> {
  const [u] = await getReadDb()
    .select({ address: users.address, username: users.username, roles: users.roles, reputation: users.reputation, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.address, normalise(address)), eq(users.isActive, true)));
  if (!u) throw new NotFoundError("No user with this address");
  return { address: checksum(u.address), username: u.username, roles: u.roles, reputation: Math.round(u.reputation * 100) / 100, created_at: u.createdAt.toISOString() };
}

export interface PublicReward {
  id: string;
  contribution_id: string;
  contribution_title: string;
  /** What it pays for: the verified contribution, or its share of a month's API revenue. */
  kind: RewardKind;
  /** The month (its first day) a revenue-share reward pays for; null for a verification reward. */
  period: string | null;
  amount: string;
  status: RewardStatus;
  tx_hash: string | null;
  chain_id: number | null;
  /** Why the last payout attempt failed (status failed), else null. */
  failure_reason: string | null;
  distributed_at: string | null;
  created_at: string;
}

// Rows come back in the API's shape (ISO dates, amounts without trailing zeros): nothing to decode.
const REWARD_COLUMNS = sql`r.id, r.contribution_id, c.title AS contribution_title, r.kind, r.period::text AS period, trim_scale(r.amount)::text AS amount, r.status, r.tx_hash, r.chain_id, r.failure_reason,
  ${isoText(sql.raw("r.distributed_at"))} AS distributed_at, ${isoText(sql.raw("r.created_at"))} AS created_at, r.created_at::text AS cursor_at`;

/** `back`: the rows newer than the cursor, oldest first (toPage turns them newest first): a Previous page. */
function buildRewardPage(byStatus: boolean, byCursor: boolean, back: boolean): SQL {
  const dir = back ? sql`ASC` : sql`DESC`;
  return sql`SELECT ${REWARD_COLUMNS} FROM ${rewards} r INNER JOIN ${contributions} c ON c.id = r.contribution_id
    WHERE r.user_id = ${sql.placeholder("userId")}${byStatus ? sql` AND r.status = ${sql.placeholder("status")}` : sql``}${
      byCursor ? sql` AND (r.created_at, r.id) ${back ? sql`>` : sql`<`} (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)` : sql``
    }
    ORDER BY r.created_at ${dir}, r.id ${dir} LIMIT ${sql.placeholder("limit")}`;
}

/** Reward pages are hot (wallets, the API): each filter shape is built and rendered once. */
const rewardPages = new Map<string, SQL>();

const REWARD_TOTALS = sql`
      SELECT u.id,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'pending'), 0) AS pending,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'processing'), 0) AS processing,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'distributed'), 0) AS distributed,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'failed'), 0) AS failed,
        coalesce(sum(r.amount) FILTER (WHERE r.kind = ${API_USE}), 0) AS api_use,
        count(r.id)::int AS n_all,
        (count(r.id) FILTER (WHERE r.status = 'pending'))::int AS n_pending,
        (count(r.id) FILTER (WHERE r.status = 'processing'))::int AS n_processing,
        (count(r.id) FILTER (WHERE r.status = 'distributed'))::int AS n_distributed,
        (count(r.id) FILTER (WHERE r.status = 'failed'))::int AS n_failed
      FROM ${users} u LEFT JOIN ${rewards} r ON r.user_id = u.id
      WHERE u.address = ${sql.placeholder("address")}
      GROUP BY u.id`;

export interface RewardSummary {
  totals: { pending: number; processing: number; distributed: number; failed: number; api_use: number };
  /** How many rewards the page's filter matches (a wallet's list total; one user's rewards, counted exactly). */
  count: number;
  page: Page<PublicReward>;
}

/** Totals by status (one aggregate) and a keyset page of rewards (one join): two statements. */
export async function getUserRewards(input: { address: string; status?: RewardStatus; cursor?: Cursor; limit: number }): Promise<RewardSummary> {
  const [totals] = await queryRowsPrepared<Record<string, string | number | null>>(REWARD_TOTALS, { address: normalise(input.address) }, { read: true });
  if (!totals) throw new NotFoundError("No user with this address");
  const shape = `${input.status ? 1 : 0}${input.cursor ? 1 : 0}${input.cursor?.back ? 1 : 0}`;
  let query = rewardPages.get(shape);
  if (!query) rewardPages.set(shape, (query = buildRewardPage(!!input.status, !!input.cursor, !!input.cursor?.back)));
  const rows = await queryRowsPrepared<PublicReward & { cursor_at: string }>(query, {
    userId: totals.id,
    status: input.status,
    cursorAt: input.cursor?.createdAt,
    cursorId: input.cursor?.id,
    limit: input.limit + 1,
  }, { read: true });
  return {
    totals: { pending: toNumber(totals.pending), processing: toNumber(totals.processing), distributed: toNumber(totals.distributed), failed: toNumber(totals.failed), api_use: toNumber(totals.api_use) },
    count: toNumber(totals[`n_${input.status ?? "all"}`]),
    page: toPage(rows, input.limit, (r) => ({
      id: r.id,
      contribution_id: r.contribution_id,
      contribution_title: r.contribution_title,
      kind: r.kind,
      period: r.period,
      amount: r.amount,
      status: r.status,
      tx_hash: r.tx_hash,
      chain_id: r.chain_id,
      failure_reason: r.failure_reason,
      distributed_at: r.distributed_at,
      created_at: r.created_at,
    }), input.cursor),
  };
}
