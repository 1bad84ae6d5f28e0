import { is, sql } from "drizzle-orm";
import { PgTable, getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";

import { setupTestDatabase } from "@/test/db";

import { queryRows } from "./client";
import { EXPECTED_MIGRATIONS, appliedMigrations, migrateDatabase } from "./migrate";
import * as schema from "./schema";

const testDb = setupTestDatabase({ migrate: false });

const schemaTables = Object.values(schema)
  .flatMap((v) => (is(v, PgTable) ? [getTableConfig(v).name] : []))
  .sort();

async function publicTables(): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    testDb.handle.db,
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

describe("migrations from an empty database", () => {
  it("starts empty", async () => {
    expect(await appliedMigrations(testDb.handle)).toBe(0);
    expect(await publicTables()).toEqual([]);
  });

  it("creates every table of db/schema.ts", async () => {
    await migrateDatabase(testDb.handle);
    expect(await appliedMigrations(testDb.handle)).toBe(EXPECTED_MIGRATIONS);
    expect(schemaTables).toContain("contributions");
    expect(await publicTables()).toEqual(schemaTables);
  });

  it("is a no-op when applied again", async () => {
    await migrateDatabase(testDb.handle);
    expect(await appliedMigrations(testDb.handle)).toBe(EXPECTED_MIGRATIONS);
  });

  it("enforces the schema's rules in the database", async () => {
    const { db } = testDb.handle;
    await expect(db.insert(schema.users).values({ address: "0xABCDEF0000000000000000000000000000000000" })).rejects.toThrow();
    const [user] = await db.insert(schema.users).values({ address: "0xabcdef0000000000000000000000000000000000" }).returning();
    expect(user!.roles).toEqual(["contributor"]);
    await expect(db.insert(schema.users).values({ address: "0xabcdef0000000000000000000000000000000000" })).rejects.toThrow();
  });
});
