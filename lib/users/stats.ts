import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";
import { checksum } from "@/lib/checksum";

import { getDb, queryRowsPrepared, type Db } from "@/db/client";
import { toNumber, toNumberOrNull } from "@/db/numeric";
import { contributions, rewards, users, type RewardStatus } from "@/db/schema";
import { trimAmount } from "@/lib/contributions/model";
import { NotFoundError } from "@/lib/errors";
import { cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

export interface UserStats {
  address: string;
  reputation: number;
  contributions: { total: number; verified: number; rejected: number; pending: number; on_hold: number };
  average_quality: number | null;
  rewards: { count: number; pending: number; processing: number; distributed: number; failed: number };
}

const normalise = (address: string) => address.toLowerCase();

// Built (and rendered to text) once; each call only binds the address.
const STATS_QUERY = sql`
      SELECT u.address, u.reputation,
        c.total, c.verified, c.rejected, c.pending, c.on_hold, c.average_quality,
        r.count AS reward_count, r.pending AS reward_pending, r.processing AS reward_processing,
        r.distributed AS reward_distributed, r.failed AS reward_failed
      FROM ${users} u
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS total,
          count(*) FILTER (WHERE status = 'verified')::int AS verified,
          count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
          count(*) FILTER (WHERE status IN ('pending', 'verifying'))::int AS pending,
          count(*) FILTER (WHERE status IN ('halted', 'paused'))::int AS on_hold,
          avg(quality_score) FILTER (WHERE status IN ('verified', 'rejected')) AS average_quality
        FROM ${contributions} WHERE user_id = u.id) c
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS count,
          coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0) AS pending,
          coalesce(sum(amount) FILTER (WHERE status = 'processing'), 0) AS processing,
          coalesce(sum(amount) FILTER (WHERE status = 'distributed'), 0) AS distributed,
          coalesce(sum(amount) FILTER (WHERE status = 'failed'), 0) AS failed
        FROM ${rewards} WHERE user_id = u.id) r
      WHERE u.address = ${sql.placeholder("address")}`;

/**
 * Everything a contributor's stats show, in ONE statement: the user by address, then two LATERAL
 * aggregates served by the (user_id, status) indexes. Constant memory whatever their history.
 */
export async function getUserStats(address: string): Promise<UserStats> {
  const [row] = await queryRowsPrepared<Record<string, string | number | null>>(STATS_QUERY, { address: normalise(address) });
  if (!row) throw new NotFoundError("No user with this address");
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
  const [u] = await getDb()
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
  amount: string;
  status: RewardStatus;
  tx_hash: string | null;
  chain_id: number | null;
  distributed_at: string | null;
  created_at: string;
}

function buildRewardPage(db: Db, byStatus: boolean, byCursor: boolean) {
  return db
    .select({
      id: rewards.id,
      contributionId: rewards.contributionId,
      title: contributions.title,
      amount: rewards.amount,
      status: rewards.status,
      txHash: rewards.txHash,
      chainId: rewards.chainId,
      distributedAt: rewards.distributedAt,
      createdAt: rewards.createdAt,
      cursorAt: cursorText(rewards.createdAt),
    })
    .from(rewards)
    .innerJoin(contributions, eq(contributions.id, rewards.contributionId))
    .where(
      and(
        eq(rewards.userId, sql.placeholder("userId")),
        byStatus ? eq(rewards.status, sql.placeholder("status")) : undefined,
        byCursor ? sql`(${rewards.createdAt}, ${rewards.id}) < (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(rewards.createdAt), desc(rewards.id))
    .limit(sql.placeholder("limit"))
    .prepare(`rewards_page_${Number(byStatus)}${Number(byCursor)}`);
}

/** Reward pages are hot (wallets, the API): each filter shape is prepared once per database handle. */
const preparedRewardPages = new WeakMap<Db, Map<string, ReturnType<typeof buildRewardPage>>>();

export interface RewardSummary {
  totals: { pending: number; processing: number; distributed: number; failed: number };
  page: Page<PublicReward>;
}

/** Totals by status (one aggregate) and a keyset page of rewards (one join): two statements. */
export async function getUserRewards(input: { address: string; status?: RewardStatus; cursor?: Cursor; limit: number }): Promise<RewardSummary> {
  const db = getDb();
  const owner = normalise(input.address);
  const [totals] = await queryRowsPrepared<Record<string, string | number | null>>(
    sql`
      SELECT u.id,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'pending'), 0) AS pending,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'processing'), 0) AS processing,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'distributed'), 0) AS distributed,
        coalesce(sum(r.amount) FILTER (WHERE r.status = 'failed'), 0) AS failed
      FROM ${users} u LEFT JOIN ${rewards} r ON r.user_id = u.id
      WHERE u.address = ${owner}
      GROUP BY u.id`,
  );
  if (!totals) throw new NotFoundError("No user with this address");
  const shape = `${input.status ? 1 : 0}${input.cursor ? 1 : 0}`;
  let cache = preparedRewardPages.get(db);
  if (!cache) preparedRewardPages.set(db, (cache = new Map()));
  let query = cache.get(shape);
  if (!query) cache.set(shape, (query = buildRewardPage(db, !!input.status, !!input.cursor)));
  const rows = await query.execute({ userId: String(totals.id), status: input.status, cursorAt: input.cursor?.createdAt, cursorId: input.cursor?.id, limit: input.limit + 1 });
  return {
    totals: { pending: toNumber(totals.pending), processing: toNumber(totals.processing), distributed: toNumber(totals.distributed), failed: toNumber(totals.failed) },
    page: toPage(rows, input.limit, (r) => ({
      id: r.id,
      contribution_id: r.contributionId,
      contribution_title: r.title,
      amount: trimAmount(r.amount),
      status: r.status,
      tx_hash: r.txHash,
      chain_id: r.chainId,
      distributed_at: r.distributedAt?.toISOString() ?? null,
      created_at: r.createdAt.toISOString(),
    })),
  };
}
