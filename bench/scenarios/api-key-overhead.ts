import { inArray, sql } from "drizzle-orm";

import { GET as detailRoute } from "@/app/api/v1/contributions/[id]/route";
import { GET as listRoute } from "@/app/api/v1/contributions/route";
import { queryRows } from "@/db/client";
import { rateLimitBuckets, subscriptions, usageRecords } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { flushUsage } from "@/lib/api-keys/usage";
import { flushReads } from "@/lib/revenue/reads";
import { insertContribution } from "@/test/fixtures";

import { pointAppAt } from "../app-database";
import { formatMs, formatRatio, measureInterleaved, summarize, type BenchContext, type Scenario } from "../harness";

const ORIGIN = "http://bench.local";
const CALLS_PER_PASS = 100;

/**
 * Scenario 5: one API request through authentication, the rate limiter and usage counting, vs the
 * same request without a key — and usage counted with a write per request instead of batching.
 */
export const apiKeyOverhead: Scenario = {
  name: "api-key-overhead",
  title: "API-key request (auth + rate limit + usage) vs the same request without",
  async run(ctx: BenchContext) {
    await pointAppAt(ctx);
    const [owner] = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM users ORDER BY created_at LIMIT 1`);
    // An enterprise subscription: the quota should not be what is measured.
    await ctx.db
      .insert(subscriptions)
      .values({ userId: owner!.id, plan: "enterprise", status: "active", stripeSubscriptionId: `sub_bench_${owner!.id}` })
      .onConflictDoNothing({ target: subscriptions.stripeSubscriptionId });
    const { key, apiKey } = await createApiKey({ userId: owner!.id, name: `bench ${Date.now()}`, scopes: ["contributions:read"] });
    // A second customer whose subscription has a billing period: its requests are also counted in api_usage_periods.
    const [billedOwner] = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM users ORDER BY created_at OFFSET 1 LIMIT 1`);
    await ctx.db
      .insert(subscriptions)
      .values({
        userId: billedOwner!.id,
        plan: "enterprise",
        status: "active",
        stripeSubscriptionId: `sub_bench_billed_${billedOwner!.id}`,
        currentPeriodStart: new Date(Date.now() - 86_400_000),
        currentPeriodEnd: new Date(Date.now() + 29 * 86_400_000),
      })
      .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: { currentPeriodStart: new Date(Date.now() - 86_400_000), currentPeriodEnd: new Date(Date.now() + 29 * 86_400_000) } });
    const billedKey = await createApiKey({ userId: billedOwner!.id, name: `bench billed ${Date.now()}`, scopes: ["contributions:read"] });
    // Read counting (issue 20): the same detail request by a paid key, of someone else's contribution
    // (a read counted for the revenue share) and of the key owner's own (not counted).
    // (Rows of their own: the seed's ids are not RFC 9562 UUIDs, which the route refuses as unknown.)
    const ownId = await insertContribution(ctx.db, billedOwner!.id, { title: "bench own", status: "verified" });
    const othersId = await insertContribution(ctx.db, owner!.id, { title: "bench other's", status: "verified" });
    const detail = (id: string) => () =>
      detailRoute(new Request(`${ORIGIN}/api/v1/contributions/${id}`, { headers: { authorization: `Bearer ${billedKey.key}` } }), { params: Promise.resolve({ id }) }).then(expectOk);
    const url = `${ORIGIN}/api/v1/contributions?limit=10`;
    const keyed = () => listRoute(new Request(url, { headers: { authorization: `Bearer ${key}` } }), undefined).then(expectOk);
    const anonymous = () => listRoute(new Request(url), undefined).then(expectOk);
    const keyedBilled = () => listRoute(new Request(url, { headers: { authorization: `Bearer ${billedKey.key}` } }), undefined).then(expectOk);
    // The naive alternative to batching: one upsert per request, in the request.
    const perRequestUsage = async () => {
      await keyed();
      await ctx.db
        .insert(usageRecords)
        .values({ subscriptionId: null, userId: owner!.id, apiKeyId: apiKey.id, endpoint: "bench", recordDate: new Date().toISOString().slice(0, 10), requestCount: 1 })
        .onConflictDoUpdate({
          target: [usageRecords.subscriptionId, usageRecords.recordDate, usageRecords.endpoint, usageRecords.apiKeyId],
          set: { requestCount: sql`${usageRecords.requestCount} + 1` },
        });
    };
    const resetWindows = () => ctx.db.delete(rateLimitBuckets).where(inArray(rateLimitBuckets.key, [`burst:${apiKey.id}`, `burst:${billedKey.apiKey.id}`]));

    const detailOwn = detail(ownId);
    const detailCounted = detail(othersId);
    for (let i = 0; i < 20; i++) await Promise.all([keyed(), anonymous(), keyedBilled(), detailOwn(), detailCounted()]);
    const all: Record<string, number[]> = { keyed: [], anonymous: [], "keyed-billed-period": [], "per-request-usage": [], "detail-own-uncounted": [], "detail-read-counted": [] };
    for (let pass = 0; pass < ctx.iterations; pass++) {
      await resetWindows();
      const samples = await measureInterleaved(
        { keyed, anonymous, "keyed-billed-period": keyedBilled, "per-request-usage": perRequestUsage, "detail-own-uncounted": detailOwn, "detail-read-counted": detailCounted },
        Array.from({ length: CALLS_PER_PASS / 2 }, (_, i) => i), 1);
      for (const [k, v] of Object.entries(samples)) all[k]!.push(...v);
    }
    await flushUsage();
    await flushReads();
    await ctx.db.execute(sql`DELETE FROM contribution_reads WHERE contribution_id IN (${ownId}, ${othersId})`);
    await ctx.db.execute(sql`DELETE FROM contributions WHERE id IN (${ownId}, ${othersId})`);
    const s = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, summarize(v)])) as Record<string, ReturnType<typeof summarize>>;
    const overhead = s.keyed!.median / s.anonymous!.median;
    const naive = s["per-request-usage"]!.median / s.keyed!.median;
    const periodCost = s["keyed-billed-period"]!.median - s.keyed!.median;
    const readCost = s["detail-read-counted"]!.median - s["detail-own-uncounted"]!.median;
    return {
      columns: ["variant", "calls", "median ms", "p95 ms", "vs anonymous"],
      rows: ["anonymous", "keyed", "keyed-billed-period", "per-request-usage", "detail-own-uncounted", "detail-read-counted"].map((k) => [k, String(s[k]!.calls), formatMs(s[k]!.median), formatMs(s[k]!.p95), formatRatio(s[k]!.median / s.anonymous!.median)]),
      checks: [
        { label: `API-key overhead measured: keyed/anonymous = ${formatRatio(overhead)} (+${formatMs(s.keyed!.median - s.anonymous!.median)} ms per request)`, pass: true },
        { label: `batched usage is cheaper than a write per request (${formatRatio(naive)} slower without batching)`, pass: naive > 1 },
        { label: `the billing-period counter (same statement as the rate limit) costs ${formatMs(periodCost)} ms per keyed request`, pass: true },
        { label: `counting a keyed read for the revenue share costs ${formatMs(readCost)} ms per request (detail read counted vs the owner's own, not counted): ≤ 0.1 ms`, pass: readCost <= 0.1 },
      ],
      notes: [
        `GET /api/v1/contributions?limit=10 through the app's route handler in process; keyed = key lookup (1 statement) + rate limit (1 upsert of two counters) + usage (in-memory batch, flushed once a second); keyed-billed-period = the same for a customer whose subscription has a billing period, so that statement also counts the request in api_usage_periods (issue 20); detail-read-counted / detail-own-uncounted = GET /api/v1/contributions/{id} by that customer's key, of another owner's contribution (a read counted in memory and flushed once a second to contribution_reads) and of their own (not counted). ${CALLS_PER_PASS / 2} calls per variant per pass, interleaved, ${ctx.iterations} passes, the key's burst window reset between passes (enterprise plan).`,
      ],
    };
  },
};

async function expectOk(res: Response) {
  if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}
