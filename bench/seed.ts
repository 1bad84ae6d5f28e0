import { performance } from "node:perf_hooks";

import type { Sql } from "postgres";

import { EXPECTED_MIGRATIONS } from "@/db/migrate";

/**
 * Verifications and rewards follow from the contributions: about 2 votes per contribution and one
 * reward per verified contribution (60%).
 */
export const SCALES = {
  small: { users: 10_000, contributions: 100_000 },
  default: { users: 100_000, contributions: 1_000_000 },
} as const;
export type ScaleName = keyof typeof SCALES;

export interface SeedInfo {
  scale: ScaleName;
  migrations: number;
  seedSeconds: number;
  seededAt: string;
}

const CHUNK = 100_000;
/** Every 50th user is a verifier. */
const VERIFIER_EVERY = 50;

/**
 * Every row is a pure function of its number, so verifications and rewards are generated from the
 * contribution number without reading contributions back. `rnd(i, salt)` is a uniform [0,1)
 * draw; all functions are single expressions, which PostgreSQL inlines.
 */
const HELPERS = `
CREATE SCHEMA bench;
CREATE TABLE bench.meta (
  scale text NOT NULL,
  migrations integer NOT NULL,
  seed_seconds real NOT NULL,
  seeded_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION bench.rnd(i bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((hashint8extended(i, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992 $$;
CREATE FUNCTION bench.user_id(k bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT md5('user-' || k)::uuid $$;
CREATE FUNCTION bench.contribution_id(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT md5('contribution-' || i)::uuid $$;
-- Skewed ownership: the busiest users hold thousands of contributions, most users a handful.
CREATE FUNCTION bench.owner(i bigint, users bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 1 + floor(users * bench.rnd(i, 1) ^ 2.5)::bigint $$;
CREATE FUNCTION bench.status(i bigint) RETURNS contribution_status LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('{verified,rejected,pending,verifying,halted,paused}'::contribution_status[])
    [1 + width_bucket(bench.rnd(i, 2), '{0.60,0.75,0.85,0.92,0.97}'::float8[])] $$;
CREATE FUNCTION bench.quality(i bigint) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT round((CASE bench.status(i)
    WHEN 'verified' THEN 60 + 40 * bench.rnd(i, 3)
    WHEN 'rejected' THEN 50 * bench.rnd(i, 3)
    WHEN 'halted' THEN 100 * bench.rnd(i, 3)
    WHEN 'paused' THEN 100 * bench.rnd(i, 3) END)::numeric, 2) $$;
-- Pending: no vote yet; verifying: one; decided: 2 or 3 (about 2 per contribution overall).
CREATE FUNCTION bench.votes(i bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE bench.status(i) WHEN 'pending' THEN 0 WHEN 'verifying' THEN 1
    ELSE 2 + (bench.rnd(i, 4) < 0.325)::integer END $$;
CREATE FUNCTION bench.created_at(i bigint, anchor timestamptz) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT anchor - bench.rnd(i, 5) * interval '365 days' $$;
CREATE FUNCTION bench.decided_at(i bigint, anchor timestamptz) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN bench.status(i) IN ('verified', 'rejected')
    THEN bench.created_at(i, anchor) + (1 + 71 * bench.rnd(i, 6)) * interval '1 hour' END $$;
`;

export async function readSeedInfo(sql: Sql): Promise<SeedInfo | undefined> {
  const [exists] = await sql`SELECT to_regclass('bench.meta') IS NOT NULL AS present`;
  if (!exists?.present) return undefined;
  const [row] = await sql<SeedInfo[]>`
    SELECT scale, migrations, seed_seconds AS "seedSeconds", seeded_at::text AS "seededAt" FROM bench.meta`;
  return row;
}

/** Fills an empty, migrated database at `scale` with server-side INSERT … SELECT generate_series. */
export async function seed(sql: Sql, scaleName: ScaleName): Promise<SeedInfo> {
  const { users, contributions } = SCALES[scaleName];
  // A string: drizzle makes postgres.js pass timestamps through unparsed.
  const anchor = new Date().toISOString();
  const verifiers = Math.floor(users / VERIFIER_EVERY);
  const started = performance.now();
  console.log(`seeding scale ${scaleName}: ${users.toLocaleString("en")} users, ${contributions.toLocaleString("en")} contributions`);
  await sql.unsafe(HELPERS);

  await fill(sql, "users", users, (lo, hi) => sql`
    INSERT INTO users (id, address, username, roles, reputation, last_seen_at, created_at, updated_at)
    SELECT bench.user_id(k),
      '0x' || left(encode(sha256(convert_to('address-' || k, 'UTF8')), 'hex'), 40),
      'user' || k,
      CASE WHEN k % ${VERIFIER_EVERY} = 0 THEN '{contributor,verifier}' ELSE '{contributor}' END::user_role[],
      round(100 * bench.rnd(k, 10)),
      ${anchor}::timestamptz - bench.rnd(k, 11) * interval '30 days',
      ${anchor}::timestamptz - (1 + bench.rnd(k, 12)) * interval '365 days',
      ${anchor}::timestamptz - bench.rnd(k, 11) * interval '30 days'
    FROM generate_series(${lo}::bigint, ${hi}::bigint) k`);

  await fill(sql, "contributions", contributions, (lo, hi) => sql`
    INSERT INTO contributions (id, user_id, cid, sha256, file_name, file_type, media_type, size_bytes, title,
      status, quality_score, verification_count, halt_reason, decided_at, created_at, updated_at)
    SELECT bench.contribution_id(i), bench.user_id(bench.owner(i, ${users})),
      'bafkrei' || translate(left(f.sha, 52), '0189', 'wxyz'),
      f.sha,
      'file-' || i || '.' || ('{ts,csv,pdf}'::text[])[f.kind],
      ('{code,dataset,document}'::file_type[])[f.kind],
      ('{text/typescript,text/csv,application/pdf}'::text[])[f.kind],
      1 + floor(exp(16 * bench.rnd(i, 13)))::bigint,
      'Contribution ' || i,
      bench.status(i), bench.quality(i), bench.votes(i),
      CASE bench.status(i) WHEN 'halted' THEN 'halted by review' END,
      bench.decided_at(i, ${anchor}),
      bench.created_at(i, ${anchor}),
      coalesce(bench.decided_at(i, ${anchor}), bench.created_at(i, ${anchor}))
    FROM generate_series(${lo}::bigint, ${hi}::bigint) i,
      LATERAL (SELECT encode(sha256(convert_to('contribution-' || i, 'UTF8')), 'hex') AS sha,
        1 + width_bucket(bench.rnd(i, 14), '{0.45,0.75}'::float8[]) AS kind) f`);

  // Vote r of contribution i comes from verifier slot (s_i + r) mod verifiers: distinct per contribution.
  await fill(sql, "verifications", contributions, (lo, hi) => sql`
    INSERT INTO verifications (contribution_id, verifier_id, agent_type, vote_score, created_at)
    SELECT bench.contribution_id(i),
      bench.user_id(${VERIFIER_EVERY} * (1 + (floor(${verifiers} * bench.rnd(i, 15))::bigint + r) % ${verifiers})),
      'human',
      coalesce(least(100, greatest(0, round(bench.quality(i) + 30 * (bench.rnd(i, 16 + r) - 0.5)))),
        floor(101 * bench.rnd(i, 16 + r)))::integer,
      bench.created_at(i, ${anchor}) + r * interval '20 minutes'
    FROM generate_series(${lo}::bigint, ${hi}::bigint) i, generate_series(1, bench.votes(i)) r`);

  await fill(sql, "rewards", contributions, (lo, hi) => sql`
    INSERT INTO rewards (user_id, contribution_id, amount, status, tx_hash, chain_id, distributed_at, created_at, updated_at)
    SELECT bench.user_id(bench.owner(i, ${users})), bench.contribution_id(i),
      round((1 + 499 * bench.rnd(i, 20))::numeric, 6),
      r.status,
      CASE WHEN r.status = 'distributed' THEN '0x' || encode(sha256(convert_to('tx-' || i, 'UTF8')), 'hex') END,
      CASE WHEN r.status = 'distributed' THEN 8453 END,
      CASE WHEN r.status = 'distributed' THEN bench.decided_at(i, ${anchor}) + interval '1 day' END,
      bench.decided_at(i, ${anchor}),
      bench.decided_at(i, ${anchor}) + CASE WHEN r.status = 'distributed' THEN interval '1 day' ELSE interval '0' END
    FROM generate_series(${lo}::bigint, ${hi}::bigint) i,
      LATERAL (SELECT ('{distributed,pending,processing,failed}'::reward_status[])
        [1 + width_bucket(bench.rnd(i, 21), '{0.60,0.85,0.90}'::float8[])] AS status) r
    WHERE bench.status(i) = 'verified'`);

  const vacuumStarted = performance.now();
  await sql.unsafe("VACUUM (ANALYZE) users, contributions, verifications, rewards");
  console.log(`  ${"vacuum (analyze)".padEnd(36)}${seconds(vacuumStarted).padStart(6)} s`);
  const seedSeconds = Number(seconds(started));
  const [info] = await sql<SeedInfo[]>`
    INSERT INTO bench.meta (scale, migrations, seed_seconds) VALUES (${scaleName}, ${EXPECTED_MIGRATIONS}, ${seedSeconds})
    RETURNING scale, migrations, seed_seconds AS "seedSeconds", seeded_at::text AS "seededAt"`;
  console.log(`seeded in ${seedSeconds} s`);
  return info!;
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** Runs `insert` over 1..total in chunks, two at a time, printing a line per table. */
async function fill(
  sql: Sql,
  table: string,
  total: number,
  insert: (lo: number, hi: number) => Promise<{ count: number }>,
): Promise<void> {
  const started = performance.now();
  const chunks: [number, number][] = [];
  for (let lo = 1; lo <= total; lo += CHUNK) chunks.push([lo, Math.min(total, lo + CHUNK - 1)]);
  let rows = 0;
  let done = 0;
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      const { count } = await insert(...chunk);
      rows += count;
      done += chunk[1] - chunk[0] + 1;
      if (process.stdout.isTTY) process.stdout.write(`\r  ${table.padEnd(20)} ${Math.round((100 * done) / total)}%`);
    }
  };
  await Promise.all([worker(), worker()]);
  const [size] = await sql`SELECT pg_size_pretty(pg_total_relation_size(${table}::regclass)) AS size`;
  if (process.stdout.isTTY) process.stdout.write("\r");
  console.log(`  ${table.padEnd(20)} ${rows.toLocaleString("en").padStart(10)} rows  ${seconds(started).padStart(6)} s  (${size?.size} with indexes)`);
}
