/**
 * The database's part of the configuration. db/ sits below lib/ and never imports it, so it reads
 * these variables itself; lib/config/env.ts validates the same fields (and the helpers they are
 * written with) as part of the whole environment, so a bad value still stops the start first.
 */
import { z } from "zod";

export const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .default(def);
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const isPostgresUrl = (v: string) => {
  try {
    const u = new URL(v);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "" && u.pathname.length > 1;
  } catch {
    return false;
  }
};
const POSTGRES_URL = "must be a URL like postgres://user:password@host:5432/database";

export const databaseFields = {
  DATABASE_URL: optionalString.pipe(z.string().refine(isPostgresUrl, POSTGRES_URL).optional()),
  /** Streaming replicas of DATABASE_URL, comma-separated: pages' and GET routes' reads go to them (db/replicas.ts). */
  DATABASE_REPLICA_URLS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isPostgresUrl, `each ${POSTGRES_URL}`)).max(16, { error: "at most 16 replicas" })),
  /** A replica further behind than this is out of rotation (the primary serves). Default 1000. */
  REPLICA_MAX_LAG_MS: int(1000, 10, 600_000),
  /** How often replicas' replay positions are checked. Default 200. */
  REPLICA_CHECK_MS: int(200, 10, 60_000),
  DATA_DIR: z.string().trim().min(1).default("./.data"),
  /** Where PGlite keeps its files; `memory://` for a throw-away in-memory database. Defaults to DATA_DIR/pglite. */
  PGLITE_DATA_DIR: optionalString,
  DB_POOL_MAX: int(10, 1, 200),
  DB_STATEMENT_TIMEOUT_MS: int(15_000, 100, 600_000),
  DB_CONNECT_TIMEOUT_S: int(5, 1, 120),
  /** Statements taking at least this many milliseconds are logged with their duration (0 = off). Default 500. */
  SLOW_QUERY_MS: int(500, 0, 600_000),
};

const databaseSchema = z.object(databaseFields);

export type DatabaseSettings = z.infer<typeof databaseSchema>;

/** Read when a database is opened (tests that change process.env reopen it to apply the change). */
export const databaseSettings = (source: Record<string, string | undefined> = process.env): DatabaseSettings => databaseSchema.parse(source);
