import { eq, fillPlaceholders, sql, TransactionRollbackError, type Placeholder } from "drizzle-orm";
import type { ParameterOrJSON } from "postgres";

import { queryRows, type Db, type Tx } from "@/db/client";
import { toNumber, toNumberOrNull } from "@/db/numeric";
import { contributions, rewards } from "@/db/schema";

import {
  explainScans,
  formatMs,
  formatRatio,
  measureInterleaved,
  summarize,
  timed,
  usesIndex,
  type Scenario,
  type Stats,
} from "../harness";

const SAMPLE_USERS = 200;
/** Full-table variants take seconds per call: a few calls show the order of magnitude. */
const LOAD_ALL_CALLS = 3;

interface UserStats {
  total: number;
  verified: number;
  rejected: number;
  pending: number;
  avgQuality: number | null;
  rewardCount: number;
  rewardsPending: number;
  rewardsDistributed: number;
}

type Raw = Record<keyof UserStats, string | number | null>;

/** One statement, two aggregates, each served by its table's (user_id, status) index. */
function userStatsQuery(db: Db | Tx, userId: string | Placeholder) {
  const c = db.$with("c").as(
    db
      .select({
        total: sql<string>`count(*)`.as("total"),
        verified: sql<string>`count(*) filter (where ${contributions.status} = 'verified')`.as("verified"),
        rejected: sql<string>`count(*) filter (where ${contributions.status} = 'rejected')`.as("rejected"),
        pending: sql<string>`count(*) filter (where ${contributions.status} = 'pending')`.as("pending"),
        avgQuality: sql<string | null>`avg(${contributions.qualityScore})`.as("avgQuality"),
      })
      .from(contributions)
      .where(eq(contributions.userId, userId)),
  );
  const r = db.$with("r").as(
    db
      .select({
        rewardCount: sql<string>`count(*)`.as("rewardCount"),
        rewardsPending: sql<string | null>`sum(${rewards.amount}) filter (where ${rewards.status} = 'pending')`.as("rewardsPending"),
        rewardsDistributed: sql<string | null>`sum(${rewards.amount}) filter (where ${rewards.status} = 'distributed')`.as(
          "rewardsDistributed",
        ),
      })
      .from(rewards)
      .where(eq(rewards.userId, userId)),
  );
  return db.with(c, r).select().from(c).crossJoin(r);
}

function toStats(raw: Raw): UserStats {
  return {
    total: toNumber(raw.total),
    verified: toNumber(raw.verified),
    rejected: toNumber(raw.rejected),
    pending: toNumber(raw.pending),
    avgQuality: toNumberOrNull(raw.avgQuality),
    rewardCount: toNumber(raw.rewardCount),
    rewardsPending: toNumber(raw.rewardsPending),
    rewardsDistributed: toNumber(raw.rewardsDistributed),
  };
}

/** Built and rendered once, as a hot query should be; runs as a server-side prepared statement. */
function prepareUserStats(db: Db | Tx) {
  const prepared = userStatsQuery(db, sql.placeholder("userId")).prepare("user_stats");
  return async (userId: string): Promise<UserStats> => {
    const [row] = await prepared.execute({ userId });
    return toStats({ ...row!.c, ...row!.r });
  };
}

/** The original code's way: every row of both tables into JS, then filter and sum. */
function loadAllQueries(db: Db) {
  return [
    db.select({ userId: contributions.userId, status: contributions.status, qualityScore: contributions.qualityScore }).from(contributions),
    db.select({ userId: rewards.userId, status: rewards.status, amount: rewards.amount }).from(rewards),
  ] as const;
}

async function loadAllStats(db: Db, userId: string): Promise<UserStats> {
  const [allContributions, allRewards] = loadAllQueries(db);
  const mine = (await allContributions).filter((c) => c.userId === userId);
  const myRewards = (await allRewards).filter((r) => r.userId === userId);
  const scores = mine.flatMap((c) => (c.qualityScore === null ? [] : [c.qualityScore]));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const rewardSum = (status: string) => sum(myRewards.filter((r) => r.status === status).map((r) => toNumber(r.amount)));
  return {
    total: mine.length,
    verified: mine.filter((c) => c.status === "verified").length,
    rejected: mine.filter((c) => c.status === "rejected").length,
    pending: mine.filter((c) => c.status === "pending").length,
    avgQuality: scores.length ? sum(scores) / scores.length : null,
    rewardCount: myRewards.length,
    rewardsPending: rewardSum("pending"),
    rewardsDistributed: rewardSum("distributed"),
  };
}

/**
 * Runs `fn` in a transaction that first drops every index on contributions and rewards led by
 * user_id (constraint indexes stay), then rolls back: the indexes come back without a rebuild.
 */
async function withoutUserIdIndexes<T>(db: Db, fn: (tx: Tx, dropped: string[]) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction(async (tx) => {
      const indexes = await queryRows<{ indexname: string }>(
        tx,
        sql`SELECT indexname FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('contributions', 'rewards')
              AND indexdef ~ 'USING btree \\(user_id[,)]'
              AND indexname NOT IN (SELECT conname FROM pg_constraint)
            ORDER BY indexname`,
      );
      for (const { indexname } of indexes) await tx.execute(sql`DROP INDEX ${sql.identifier(indexname)}`);
      result = await fn(tx, indexes.map((i) => i.indexname));
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return result!;
}

const same = (a: UserStats, b: UserStats) =>
  (Object.keys(a) as (keyof UserStats)[]).every((key) => {
    const [x, y] = [a[key], b[key]];
    return x === y || (x !== null && y !== null && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)));
  });

export const userStats: Scenario = {
  name: "user-stats",
  title: "per-user stats and reward totals",
  async run({ db, sql: client, iterations }) {
    // A fixed pseudo-random sample of users who have contributions, the same for every variant.
    const users = (
      await queryRows<{ id: string }>(
        db,
        sql`SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM contributions c WHERE c.user_id = u.id)
            ORDER BY md5(u.id::text) LIMIT ${SAMPLE_USERS}`,
      )
    ).map((u) => u.id);
    const results = new Map<string, Map<string, UserStats>>();
    const record = (variant: string, userId: string, stats: UserStats) => {
      if (!results.has(variant)) results.set(variant, new Map());
      results.get(variant)!.set(userId, stats);
    };

    // bare-sql runs the same text and protocol (prepared) as indexed, with no drizzle at all.
    const indexedStats = prepareUserStats(db);
    const query = userStatsQuery(db, sql.placeholder("userId")).toSQL();
    const calls = users.map((id) => ({ id, params: fillPlaceholders(query.params, { userId: id }) as ParameterOrJSON<never>[] }));
    const fast = {
      indexed: async ({ id }: (typeof calls)[number]) => record("indexed", id, await indexedStats(id)),
      "bare-sql": async ({ id, params }: (typeof calls)[number]) => {
        const [row] = await client.unsafe<Raw[]>(query.sql, params, { prepare: true });
        record("bare-sql", id, toStats(row!));
      },
    };
    await measureInterleaved(fast, calls, 1); // warm-up
    const fastTimes = await measureInterleaved(fast, calls, iterations);
    const indexedPlan = await explainScans(db, userStatsQuery(db, users[0]!));

    const noIndex = await withoutUserIdIndexes(db, async (tx, dropped) => {
      const plan = await explainScans(tx, userStatsQuery(tx, users[0]!));
      const stats = prepareUserStats(tx);
      await stats(users[0]!); // warm-up
      const times: number[] = [];
      for (const id of users.slice(0, 2 * iterations)) {
        times.push(await timed(async () => record("no-indexes", id, await stats(id))));
      }
      return { plan, times, dropped };
    });

    const loadAllPlan = (await Promise.all(loadAllQueries(db).map((q) => explainScans(db, q)))).flat();
    await loadAllStats(db, users[0]!); // warm-up
    const loadAllTimes: number[] = [];
    for (const id of users.slice(0, Math.min(LOAD_ALL_CALLS, iterations))) {
      loadAllTimes.push(await timed(async () => record("load-all-js", id, await loadAllStats(db, id))));
    }

    const variants: [string, Stats, string[]][] = [
      ["indexed", summarize(fastTimes.indexed), indexedPlan],
      ["no-indexes", summarize(noIndex.times), noIndex.plan],
      ["load-all-js", summarize(loadAllTimes), loadAllPlan],
      ["bare-sql", summarize(fastTimes["bare-sql"]), indexedPlan],
    ];
    const median = (name: string) => variants.find(([n]) => n === name)![1].median;
    const indexed = median("indexed");
    const speedup = (name: string) => median(name) / indexed;
    const reference = results.get("indexed")!;
    const agree = [...results.values()].every((byUser) => [...byUser].every(([id, stats]) => same(stats, reference.get(id)!)));
    const totals = [...reference.values()].map((s) => s.total).sort((a, b) => a - b);

    return {
      columns: ["variant", "calls", "median ms", "p95 ms", "vs indexed", "plan"],
      rows: variants.map(([name, stats, plan]) => [
        name,
        String(stats.calls),
        formatMs(stats.median),
        formatMs(stats.p95),
        formatRatio(stats.median / indexed),
        plan.join(", "),
      ]),
      checks: [
        { label: `indexed ≥100× faster than load-all-js (${formatRatio(speedup("load-all-js"))})`, pass: speedup("load-all-js") >= 100 },
        { label: `indexed ≥10× faster than no-indexes (${formatRatio(speedup("no-indexes"))})`, pass: speedup("no-indexes") >= 10 },
        {
          label: `indexed within 1.5× of bare-sql (${formatRatio(indexed / median("bare-sql"))})`,
          pass: indexed <= 1.5 * median("bare-sql"),
        },
        { label: "indexed plan uses an index scan", pass: usesIndex(indexedPlan) },
        { label: "every variant returns the same stats for the same user", pass: agree },
      ],
      notes: [
        `Per call, over ${users.length} sampled users with contributions (they hold ${totals[0]}–${totals.at(-1)} contributions, median ${totals[Math.floor(totals.length / 2)]}); ` +
          `indexed and bare-sql interleaved in random order, ${iterations} passes after a warm-up pass; ` +
          `both run the statement prepared (drizzle .prepare(), postgres.js prepare: true). ` +
          `no-indexes drops ${noIndex.dropped.join(", ")} inside a transaction that is rolled back. ` +
          `load-all-js reads both tables whole through drizzle and filters in JS (plan shown: its two SELECTs).`,
      ],
    };
  },
};
