/**
 * The query cache's vocabulary, shared with the triggers of db/migrations/0021_cache_invalidation.sql:
 * after a statement changes one of CACHED_TABLES, one NOTIFY on CACHE_CHANNEL says
 * "<table> <key> <key>…" (or "<table> *"), each key a row's tag below.
 */
export const CACHE_CHANNEL = "nwu_cache";

/** The tables whose changes the triggers announce (and that cached answers may depend on). */
export const CACHED_TABLES = ["contributions", "users", "rewards", "appeals", "previews", "contribution_reads"] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];

/** Row tags: a contribution by id, a user by id, the contributions sharing a CID. */
export const cacheTag = {
  contribution: (id: string) => `c:${id}`,
  user: (id: string) => `u:${id}`,
  cid: (cid: string) => `cid:${cid}`,
} as const;

/** "Every row of the table changed" (a bulk statement past the triggers' 150 keys, a TRUNCATE). */
export const ALL_ROWS = "*";
