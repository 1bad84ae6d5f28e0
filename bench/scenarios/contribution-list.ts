import { sql } from "drizzle-orm";
import type { ParameterOrJSON, Sql } from "postgres";

import { closeDb, getDbHandle, queryRows } from "@/db/client";
import { countStatements } from "@/db/statement-counter";
import { resetEnvCache } from "@/lib/config/env";
import { listContributions, type ListFilters } from "@/lib/contributions/queries";
import { ANONYMOUS } from "@/lib/contributions/visibility";
import { decodeCursor, DEFAULT_LIMIT, type Cursor } from "@/lib/pagination";

import { formatMs, formatRatio, measureInterleaved, scanKinds, summarize, timed, usesIndex, type Scenario } from "../harness";

/** Pages followed from the top before the "deep page" variant's cursor is taken. */
const DEEP_PAGES = 20;
/** Calls per variant and path = iterations × this (list calls take about a millisecond). */
const CALLS_PER_ITERATION = 10;
/** Occurs in about 20 of the seeded titles ("Contribution <n>", n = 1…1,000,000). */
const RARE_WORD = "31337";
/** Occurs in every seeded title. */
const COMMON_WORD = "contribution";
/** PostgreSQL may switch a prepared statement to a generic plan from its sixth execution. */
const PLAN_WARMUP_EXECUTIONS = 6;

interface Variant {
  name: string;
  filters: ListFilters;
  /** The one statement listContributions sent for these filters, replayed bare. */
  text: string;
  params: ParameterOrJSON<never>[];
}

/**
 * Runs `fn` with the app's own configuration (getEnv / getDb) pointed at the bench database, so
 * listContributions runs exactly as in a route handler; the previous configuration comes back.
 */
async function withAppDatabase<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
  try {
    return await fn();
  } finally {
    await closeDb();
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
    resetEnvCache();
  }
}

async function cursorAfterPages(pages: number, limit: number): Promise<Cursor> {
  let cursor: Cursor | undefined;
  for (let page = 0; page < pages; page++) {
    const next = (await listContributions({ limit, cursor }, ANONYMOUS)).nextCursor;
    if (!next) throw new Error(`the table has fewer than ${pages} pages of ${limit}`);
    cursor = decodeCursor(next);
  }
  return cursor!;
}

const literal = (value: unknown) => (typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`);

/**
 * The plan of `text` as a prepared statement runs it: PREPAREd on one connection, executed
 * PLAN_WARMUP_EXECUTIONS times (so PostgreSQL has had its chance to pick a generic plan), then
 * EXPLAIN EXECUTE.
 */
async function preparedPlan(client: Sql, text: string, params: unknown[], name: string): Promise<string[]> {
  const reserved = await client.reserve();
  try {
    await reserved.unsafe(`PREPARE ${name} AS ${text}`);
    const execute = `EXECUTE ${name}(${params.map(literal).join(", ")})`;
    for (let i = 0; i < PLAN_WARMUP_EXECUTIONS; i++) await reserved.unsafe(execute);
    const [row] = await reserved.unsafe(`EXPLAIN (FORMAT JSON) ${execute}`);
    await reserved.unsafe(`DEALLOCATE ${name}`);
    return scanKinds((row as unknown as { "QUERY PLAN": { Plan: Parameters<typeof scanKinds>[0] }[] })["QUERY PLAN"][0]!.Plan);
  } finally {
    reserved.release();
  }
}

export const contributionList: Scenario = {
  name: "contribution-list",
  title: "contribution list (browse filters, search, keyset pages) vs bare SQL",
  async run({ db, iterations, databaseUrl }) {
    return withAppDatabase(databaseUrl, async () => {
      const limit = DEFAULT_LIMIT;
      const [busiest] = await queryRows<{ address: string; n: number }>(
        db,
        sql`SELECT u.address, c.n FROM (SELECT user_id, count(*)::int AS n FROM contributions GROUP BY user_id ORDER BY n DESC, user_id LIMIT 1) c
            JOIN users u ON u.id = c.user_id`,
      );
      const [typical] = await queryRows<{ address: string; n: number }>(
        db,
        sql`SELECT u.address, c.n FROM (SELECT user_id, count(*)::int AS n FROM contributions GROUP BY user_id) c
            JOIN users u ON u.id = c.user_id WHERE c.n BETWEEN 5 AND 10 ORDER BY md5(u.id::text) LIMIT 1`,
      );
      const [total] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM contributions`);
      const [middle] = await queryRows<{ createdAt: string; id: string }>(
        db,
        sql`SELECT created_at::text AS "createdAt", id::text AS id FROM contributions
            ORDER BY created_at DESC, id DESC OFFSET ${Math.floor(total!.n / 2)} LIMIT 1`,
      );
      const deep = await cursorAfterPages(DEEP_PAGES, limit);
      const [matches] = await queryRows<{ rare: number; common: number }>(
        db,
        sql`SELECT count(*) FILTER (WHERE title ILIKE ${`%${RARE_WORD}%`})::int AS rare,
              count(*) FILTER (WHERE title ILIKE ${`%${COMMON_WORD}%`})::int AS common FROM contributions`,
      );

      const specs: Pick<Variant, "name" | "filters">[] = [
        { name: "first page", filters: { limit } },
        { name: "status=pending", filters: { limit, status: "pending" } },
        { name: "type=dataset", filters: { limit, type: "dataset" } },
        { name: `owner (busiest, ${busiest!.n.toLocaleString("en")} rows)`, filters: { limit, owner: busiest!.address } },
        { name: `owner (typical, ${typical!.n} rows)`, filters: { limit, owner: typical!.address } },
        { name: `q=${RARE_WORD} (${matches!.rare} matches)`, filters: { limit, q: RARE_WORD } },
        { name: `q=${COMMON_WORD} (${matches!.common.toLocaleString("en")} matches)`, filters: { limit, q: COMMON_WORD } },
        { name: `page ${DEEP_PAGES + 1} (cursor after ${DEEP_PAGES} pages)`, filters: { limit, cursor: deep } },
        { name: "mid-table cursor", filters: { limit, cursor: middle! } },
        { name: "status=pending + mid-table cursor", filters: { limit, status: "pending", cursor: middle! } },
      ];
      // The bare side replays exactly what the app sent: one statement, its text and parameters.
      const variants: Variant[] = [];
      const statementsPerCall: number[] = [];
      for (const spec of specs) {
        const { statements } = await countStatements(() => listContributions(spec.filters, ANONYMOUS));
        statementsPerCall.push(statements.length);
        variants.push({ ...spec, text: statements[0]!.text, params: statements[0]!.params as ParameterOrJSON<never>[] });
      }

      // Same pool as the app (getDb); the same protocol as its drizzle prepared statements
      // (postgres.js unsafe(text, params, { prepare: true }).values()): parsed and planned once per connection.
      const client = getDbHandle().sql!;
      const appIds = new Map<string, string>();
      const bareIds = new Map<string, string>();
      const paths = {
        app: async (v: Variant) => {
          const page = await listContributions(v.filters, ANONYMOUS);
          appIds.set(v.name, page.items.map((item) => item.id).join(","));
        },
        bare: async (v: Variant) => {
          const rows = await client.unsafe(v.text, v.params, { prepare: true }).values();
          bareIds.set(v.name, rows.slice(0, limit).map((row) => String(row[0])).join(","));
        },
      };
      await measureInterleaved(paths, variants, 1); // warm-up
      const passes = iterations * CALLS_PER_ITERATION;
      // Per pass, each variant in turn; app and bare in random order within it. Sample i is variant i mod n.
      const samples = await measureInterleaved(paths, variants, passes);
      const timesOf = (path: keyof typeof paths, v: Variant) => samples[path].filter((_, i) => variants[i % variants.length] === v);

      const plans = new Map<string, string[]>();
      for (const [i, v] of variants.entries()) plans.set(v.name, await preparedPlan(client, v.text, v.params, `bench_list_${i}`));
      const rowsOut = new Map<string, number>();
      for (const v of variants) rowsOut.set(v.name, (await listContributions(v.filters, ANONYMOUS)).items.length);

      // Where the app's extra time goes (first page): its CPU per call against bare's, and the
      // share of turning rows into API objects, timed on its own.
      const first = variants[0]!;
      const cpuPerCall = async (fn: (v: Variant) => Promise<unknown>) => {
        const before = process.cpuUsage();
        for (let i = 0; i < passes; i++) await fn(first);
        const used = process.cpuUsage(before);
        return (used.user + used.system) / 1000 / passes;
      };
      const cpuMs = { app: await cpuPerCall(paths.app), bare: await cpuPerCall(paths.bare) };
      // The busiest owner's page with the owner filtered by id (scalar subquery) instead of through
      // the join: the same statement with that one condition rewritten, bare, for comparison.
      const busiestVariant = variants.find((v) => v.filters.owner === busiest!.address)!;
      const ownerCondition = /"users"\."address" = (\$\d+)/;
      // (Only while the app still filters through the join; since the app filters by id itself, skip.)
      const alreadyById = /"contributions"\."user_id" = \(select/i.test(busiestVariant.text);
      const rewriteText = ownerCondition.test(busiestVariant.text) && !alreadyById
        ? busiestVariant.text.replace(ownerCondition, (_, param: string) => `"contributions"."user_id" = (SELECT o.id FROM users o WHERE o.address = ${param})`)
        : undefined;
      let rewrite: { ms: number; sameRows: boolean; plan: string[] } | undefined;
      if (rewriteText) {
        const run = () => client.unsafe(rewriteText, busiestVariant.params, { prepare: true }).values();
        const ids = (await run()).slice(0, limit).map((row) => String(row[0])).join(",");
        const times: number[] = [];
        for (let i = 0; i < passes; i++) times.push(await timed(run));
        rewrite = { ms: summarize(times).median, sameRows: ids === bareIds.get(busiestVariant.name), plan: await preparedPlan(client, rewriteText, busiestVariant.params, "bench_list_owner_by_id") };
      }

      const stats = variants.map((v) => {
        const app = summarize(timesOf("app", v));
        const bare = summarize(timesOf("bare", v));
        return { v, app, bare, ratio: app.median / bare.median, plan: plans.get(v.name)! };
      });
      const agree = variants.every((v) => appIds.has(v.name) && appIds.get(v.name) === bareIds.get(v.name));
      const noIndex = stats.filter((s) => !usesIndex(s.plan)).map((s) => s.v.name);
      const busiestStats = stats.find((s) => s.v === busiestVariant)!;

      return {
        columns: ["variant", "rows", "calls", "app p50 ms", "app p95 ms", "bare p50 ms", "bare p95 ms", "app ÷ bare (p50)", "plan (prepared, after 6 runs)"],
        rows: stats.map((s) => [
          s.v.name,
          String(rowsOut.get(s.v.name)),
          String(s.app.calls),
          formatMs(s.app.median),
          formatMs(s.app.p95),
          formatMs(s.bare.median),
          formatMs(s.bare.p95),
          formatRatio(s.ratio),
          s.plan.join(", "),
        ]),
        checks: [
          ...stats.map((s) => ({ label: `${s.v.name}: app p50 within 1.5× bare (${formatRatio(s.ratio)})`, pass: s.ratio <= 1.5 })),
          {
            label: `every plan uses an index scan (q: the trigram GIN Bitmap Index Scan counts)${noIndex.length ? `; not: ${noIndex.join(", ")}` : ""}`,
            pass: noIndex.length === 0,
          },
          {
            label: "one statement per call, replayed bare with the same text and parameters, returning the same rows",
            pass: statementsPerCall.every((n) => n === 1) && agree,
          },
        ],
        notes: [
          `Per call, limit ${limit} (the statement fetches ${limit + 1} to know whether a next page exists), over ${total!.n.toLocaleString("en")} contributions. ` +
            `app = \`listContributions()\` from lib/contributions/queries.ts in-process on the app's own pool (getDb() pointed at the bench database), as a route handler calls it: ` +
            `one statement per filter shape, built once and run as a server-side prepared statement, its rows turned into API objects (checksummed owner address). ` +
            `bare = the statement the app sent for the same filters (text and parameters, recorded through db/statement-counter) replayed through postgres.js ` +
            `\`unsafe(text, params, { prepare: true }).values()\` on the same pool — the same server-side prepared statement, nothing done with the rows. ` +
            `app and bare alternate in random order, ${passes} passes over all variants after a warm-up pass; p50 is the median. ` +
            `Plans: PREPARE + ${PLAN_WARMUP_EXECUTIONS} EXECUTEs + EXPLAIN EXECUTE on one connection, i.e. the plan a long-lived prepared statement ends up with (generic or custom).`,
          `Variants: owner = an address (busiest user: ${busiest!.address}; typical: ${typical!.address}); q is a case-insensitive substring of the title (seeded titles are "Contribution <n>"), ` +
            `"${RARE_WORD}" is rare, "${COMMON_WORD}" is in every title; the deep page follows ${DEEP_PAGES} next-page cursors from the top; ` +
            `the mid-table cursor is the row halfway down the newest-first order.`,
          `Where app time goes beyond bare: CPU of this process per call (first page) app ${formatMs(cpuMs.app)} ms vs bare ${formatMs(cpuMs.bare)} ms; ` +
            `the statement returns the rows already in the API's shape (ISO dates formatted by PostgreSQL, numbers as numbers), so the app only checksums the owner address and copies the fields. ` +
            `A fixed JavaScript cost per call next to a statement PostgreSQL answers in about a millisecond; plans and indexes are the same for both sides (one statement, same text).`,
          rewrite
            ? `Busiest owner: the owner filter is on users.address through the join, so PostgreSQL reads all ${busiest!.n.toLocaleString("en")} of that user's contributions and sorts them to return ${limit + 1} ` +
              `(app and bare alike, ${formatMs(busiestStats.bare.median)} ms bare). The same statement with \`"contributions"."user_id" = (SELECT o.id FROM users o WHERE o.address = $n)\` instead ` +
              `walks contributions_user_id_created_at_id_idx backwards and stops after ${limit + 1} rows: ${formatMs(rewrite.ms)} ms bare for the same page ` +
              `(${rewrite.sameRows ? "same rows" : "DIFFERENT rows"}; plan: ${rewrite.plan.join(", ")}).`
            : `Busiest owner: ${formatMs(busiestStats.bare.median)} ms bare; the app already filters the owner by id through a scalar subquery, so no rewrite is compared.`,
        ],
      };
    });
  },
};
