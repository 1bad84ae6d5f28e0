import { sql, TransactionRollbackError } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { allocate, eligibleReads } from "@/lib/revenue/close";

import { pointAppAt } from "../app-database";
import { formatMs, formatRatio, summarize, type BenchContext, type Scenario } from "../harness";

const CONTRIBUTIONS = 10_000;
const READS = 1_000_000;
/** A month nobody else uses, far in the past: the bench's rows are found (and removed) by it. */
const PERIOD = "2001-01-01";
const MARK = "bench-revenue-share-";
/** 1,234.567… NWU in wei: a pool that divides by nothing in particular, so the rounding has work to do. */
const POOL_WEI = "1234567890123456789012";

/**
 * Issue 20's allocation: 1,000,000 keyed reads across 10,000 verified contributions, the month's
 * pool split by largest remainder in one INSERT … SELECT (lib/revenue/close.ts), each run rolled back.
 * Baseline in the same run: the bare aggregate the allocation starts from (sum of the month's eligible reads).
 */
export const revenueShare: Scenario = {
  name: "revenue-share",
  title: "Revenue-share allocation: 1,000,000 reads across 10,000 contributions, one statement",
  async run(ctx: BenchContext) {
    await pointAppAt(ctx);
    try {
      await seed(ctx);
      const allocation: number[] = [];
      const baseline: number[] = [];
      let exact = true;
      let parts = 0;
      for (let i = 0; i < Math.max(3, ctx.iterations); i++) {
        const t0 = performance.now();
        await getDb().transaction((tx) => eligibleReads(tx, PERIOD));
        baseline.push(performance.now() - t0);
        const run = await allocateOnce();
        allocation.push(run.ms);
        exact &&= run.sumWei === BigInt(POOL_WEI);
        parts = run.parts;
      }
      const a = summarize(allocation);
      const b = summarize(baseline);
      return {
        columns: ["variant", "runs", "median ms", "p95 ms", "vs the bare sum"],
        rows: [
          ["sum of eligible reads (baseline)", String(b.calls), formatMs(b.median), formatMs(b.p95), "1.00×"],
          ["allocation (INSERT … SELECT, largest remainder)", String(a.calls), formatMs(a.median), formatMs(a.p95), formatRatio(a.median / b.median)],
        ],
        checks: [
          { label: `the allocation statement takes ${formatMs(a.median)} ms (median) for ${READS.toLocaleString("en-US")} reads across ${CONTRIBUTIONS.toLocaleString("en-US")} contributions: ≤ 2,000 ms`, pass: a.median <= 2_000 },
          { label: `its ${parts.toLocaleString("en-US")} parts sum exactly to the pool (${POOL_WEI} wei) in every run`, pass: exact && parts === CONTRIBUTIONS },
        ],
        notes: [`Each run inside a transaction rolled back after the parts were summed; the reads are ${CONTRIBUTIONS.toLocaleString("en-US")} rows of 1–199 reads (${READS.toLocaleString("en-US")} in all) of one month.`],
      };
    } finally {
      await cleanUp();
    }
  },
};

/** 10,000 verified contributions (owners spread over the seeded users) and their month's reads, summing to exactly 1,000,000. */
async function seed(ctx: BenchContext) {
  await cleanUp();
  await ctx.sql`
    WITH owners AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM (SELECT id FROM users LIMIT 500) s)
    INSERT INTO contributions (user_id, cid, sha256, file_name, file_type, media_type, size_bytes, title, status)
    SELECT o.id, ${MARK} || g, repeat('b', 64), 'a.csv', 'dataset', 'text/csv', 3, 'Read ' || g, 'verified'
    FROM generate_series(1, ${CONTRIBUTIONS}::int) g JOIN owners o ON o.n = g % (SELECT count(*) FROM owners)`;
  // Reads 1..199 (about 100 on average) per contribution, then one more or one fewer on as many rows
  // as it takes for the month's total to be exactly READS.
  await ctx.sql`
    INSERT INTO contribution_reads (period, contribution_id, reads)
    SELECT ${PERIOD}::date, id, 1 + (row_number() OVER (ORDER BY id) * 7919) % 199 FROM contributions WHERE cid LIKE ${MARK + "%"}`;
  await ctx.sql`
    WITH gap AS (SELECT ${READS}::bigint - sum(reads) AS d FROM contribution_reads WHERE period = ${PERIOD}::date)
    UPDATE contribution_reads SET reads = reads + sign((SELECT d FROM gap))
    WHERE period = ${PERIOD}::date AND contribution_id IN (
      SELECT contribution_id FROM contribution_reads WHERE period = ${PERIOD}::date AND reads > 1 ORDER BY contribution_id LIMIT abs((SELECT d FROM gap)))`;
  await ctx.sql`ANALYZE contribution_reads`;
  await ctx.sql`ANALYZE contributions`;
}

async function allocateOnce(): Promise<{ ms: number; sumWei: bigint; parts: number }> {
  let out = { ms: 0, sumWei: 0n, parts: 0 };
  try {
    await getDb().transaction(async (tx) => {
      const t0 = performance.now();
      const created = await allocate(tx, PERIOD, POOL_WEI);
      const ms = performance.now() - t0;
      const [sum] = await queryRows<{ wei: string }>(tx, sql`SELECT (sum(amount) * 1e18)::numeric(78,0)::text AS wei FROM rewards WHERE kind = 'revenue_share' AND period = ${PERIOD}::date`);
      out = { ms, sumWei: BigInt(sum!.wei), parts: created.length };
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return out;
}

async function cleanUp() {
  const db = getDb();
  await db.execute(sql`DELETE FROM rewards WHERE kind = 'revenue_share' AND period = ${PERIOD}::date`);
  await db.execute(sql`DELETE FROM contribution_reads WHERE period = ${PERIOD}::date`);
  await db.execute(sql`DELETE FROM contributions WHERE cid LIKE ${MARK + "%"}`);
}
