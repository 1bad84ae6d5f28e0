import { sql } from "drizzle-orm";

import { GET as rewardsRoute } from "@/app/api/v1/users/[address]/rewards/route";
import { GET as statsRoute } from "@/app/api/v1/users/[address]/stats/route";
import { queryRows } from "@/db/client";
import { countStatements, type RecordedStatement } from "@/db/statement-counter";

import { explainScansText, pointAppAt } from "../app-database";
import { formatMs, formatRatio, measureInterleaved, summarize, usesIndex, type BenchContext, type Scenario } from "../harness";

const SAMPLE_USERS = 200;
const ORIGIN = "http://bench.local";

/**
 * Scenario 4: the stats and rewards endpoints (the app's route handlers, in process: parsing,
 * SQL through drizzle, JSON) against the very statements they issue replayed as bare SQL through
 * postgres.js — captured from the route itself, so both sides run identical SQL.
 */
export const userEndpoints: Scenario = {
  name: "user-endpoints",
  title: "stats and rewards endpoints vs bare SQL",
  async run(ctx: BenchContext) {
    await pointAppAt(ctx);
    const addresses = (
      await queryRows<{ address: string }>(
        ctx.db,
        sql`SELECT u.address FROM users u WHERE EXISTS (SELECT 1 FROM rewards r WHERE r.user_id = u.id) ORDER BY random() LIMIT ${SAMPLE_USERS}`,
      )
    ).map((r) => r.address);

    // The Request is what Next hands a route handler: built once per address outside the timed
    // call (a GET has no body, so it can be handed over again), as the server would have built it.
    const statsRequests = new Map(addresses.map((a) => [a, new Request(`${ORIGIN}/api/v1/users/${a}/stats`)]));
    const rewardsRequests = new Map(addresses.map((a) => [a, new Request(`${ORIGIN}/api/v1/users/${a}/rewards?limit=50`)]));
    const stats = (address: string) => statsRoute(statsRequests.get(address)!, { params: Promise.resolve({ address }) }).then((r) => r.text());
    const rewards = (address: string) => rewardsRoute(rewardsRequests.get(address)!, { params: Promise.resolve({ address }) }).then((r) => r.text());

    // Capture each route's statements per address once (text + params), to replay them bare.
    const captured = new Map<string, { stats: RecordedStatement[]; rewards: RecordedStatement[] }>();
    let statsStatements = 0;
    let rewardsStatements = 0;
    for (const address of addresses) {
      const s = await countStatements(() => stats(address));
      const r = await countStatements(() => rewards(address));
      statsStatements = Math.max(statsStatements, s.count);
      rewardsStatements = Math.max(rewardsStatements, r.count);
      captured.set(address, { stats: s.statements, rewards: r.statements });
    }
    const replay = async (statements: RecordedStatement[]) => {
      for (const st of statements) await ctx.sql.unsafe(st.text, st.params as never[], { prepare: true });
    };

    const samples = await measureInterleaved(
      {
        "stats-route": stats,
        "stats-bare": (a: string) => replay(captured.get(a)!.stats),
        "rewards-route": rewards,
        "rewards-bare": (a: string) => replay(captured.get(a)!.rewards),
      },
      addresses,
      ctx.iterations,
    );
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) as Record<string, ReturnType<typeof summarize>>;
    const first = captured.get(addresses[0]!)!;
    const statsPlan = await explainScansText(ctx.sql, first.stats[0]!);
    const rewardsPlans = [...(await explainScansText(ctx.sql, first.rewards[0]!)), ...(await explainScansText(ctx.sql, first.rewards[1]!))];
    const statsRatio = s["stats-route"]!.median / s["stats-bare"]!.median;
    const rewardsRatio = s["rewards-route"]!.median / s["rewards-bare"]!.median;
    return {
      columns: ["variant", "calls", "median ms", "p95 ms", "vs bare", "statements", "plan"],
      rows: [
        ["stats-route", String(s["stats-route"]!.calls), formatMs(s["stats-route"]!.median), formatMs(s["stats-route"]!.p95), formatRatio(statsRatio), String(statsStatements), statsPlan.join(", ")],
        ["stats-bare", String(s["stats-bare"]!.calls), formatMs(s["stats-bare"]!.median), formatMs(s["stats-bare"]!.p95), "1.00×", String(statsStatements), ""],
        ["rewards-route", String(s["rewards-route"]!.calls), formatMs(s["rewards-route"]!.median), formatMs(s["rewards-route"]!.p95), formatRatio(rewardsRatio), String(rewardsStatements), rewardsPlans.join(", ")],
        ["rewards-bare", String(s["rewards-bare"]!.calls), formatMs(s["rewards-bare"]!.median), formatMs(s["rewards-bare"]!.p95), "1.00×", String(rewardsStatements), ""],
      ],
      checks: [
        { label: `stats endpoint within 1.5× of bare SQL (${formatRatio(statsRatio)})`, pass: statsRatio <= 1.5 },
        { label: `rewards endpoint within 1.5× of bare SQL (${formatRatio(rewardsRatio)})`, pass: rewardsRatio <= 1.5 },
        { label: `stats ≤ 2 statements per request (${statsStatements})`, pass: statsStatements <= 2 },
        { label: `rewards ≤ 2 statements per request (${rewardsStatements})`, pass: rewardsStatements <= 2 },
        { label: "stats and rewards plans use indexes", pass: usesIndex(statsPlan) && usesIndex(rewardsPlans) },
      ],
      notes: [
        `Per call over ${addresses.length} sampled users with rewards; the route side is the app's route handler called in process with the Request a server would hand it (built once per address, outside the timing; no HTTP), its Response created and its JSON body read as text, the bare side replays the exact statements (text and parameters) the route issued, through postgres.js with prepared statements. Interleaved in random order, ${ctx.iterations} passes after a warm-up.`,
      ],
    };
  },
};
