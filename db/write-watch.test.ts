import { describe, expect, it } from "vitest";

import { writtenTables } from "./write-watch";

describe("writtenTables", () => {
  it("names what a statement inserts into, updates, deletes from or truncates", () => {
    expect(writtenTables('insert into "contributions" ("id") values ($1)')).toEqual(["contributions"]);
    expect(writtenTables('update "users" set "reputation" = $1 where "id" = $2')).toEqual(["users"]);
    expect(writtenTables("DELETE FROM previews WHERE cid = $1")).toEqual(["previews"]);
    expect(writtenTables("TRUNCATE TABLE rewards")).toEqual(["rewards"]);
    expect(writtenTables("WITH moved AS (UPDATE jobs SET state = 'running' RETURNING id) INSERT INTO audit_log SELECT 1")).toEqual(["jobs", "audit_log"]);
  });

  it("not the clauses that merely say update or delete", () => {
    expect(writtenTables("SELECT id FROM jobs FOR UPDATE SKIP LOCKED")).toEqual([]);
    expect(writtenTables("SELECT id FROM jobs FOR NO KEY UPDATE OF jobs NOWAIT")).toEqual([]);
    expect(writtenTables("INSERT INTO rate_limit_buckets (k, n) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET n = rate_limit_buckets.n + 1")).toEqual(["rate_limit_buckets"]);
    expect(writtenTables('ALTER TABLE "x" ADD CONSTRAINT f FOREIGN KEY ("a") REFERENCES "y"("id") ON DELETE cascade ON UPDATE no action')).toEqual([]);
    expect(writtenTables("SELECT title FROM contributions")).toEqual([]);
  });
});
