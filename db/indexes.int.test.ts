import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { setupTestDatabase } from "@/test/db";

import { REQUIRED_INDEXES, isCovered, listForeignKeyColumns, listIndexes } from "./index-coverage";

const testDb = setupTestDatabase();

const label = (r: { table: string; columns: string[] }) => `${r.table}(${r.columns.join(", ")})`;

describe("indexes after migration", () => {
  it("covers every required index", async () => {
    const indexes = await listIndexes(testDb.handle.db);
    const missing = REQUIRED_INDEXES.filter((r) => !isCovered(r, indexes)).map(label);
    expect(missing).toEqual([]);
  });

  it("indexes every foreign-key column (as a leading column)", async () => {
    const { db } = testDb.handle;
    const [indexes, fks] = await Promise.all([listIndexes(db), listForeignKeyColumns(db)]);
    expect(fks.length).toBeGreaterThanOrEqual(15);
    const missing = fks.filter((fk) => !isCovered({ table: fk.table, columns: [fk.column] }, indexes)).map((fk) => `${fk.table}.${fk.column}`);
    expect(missing).toEqual([]);
  });

  it("reports an index as missing once it is dropped", async () => {
    const { db } = testDb.handle;
    const rollback = new Error("rollback");
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`DROP INDEX rewards_user_id_status_idx`);
        await tx.execute(sql`DROP INDEX rewards_user_id_created_at_id_idx`);
        await tx.execute(sql`ALTER TABLE payments DROP CONSTRAINT payments_stripe_payment_id_key`);
        const indexes = await listIndexes(tx);
        const missing = REQUIRED_INDEXES.filter((r) => !isCovered(r, indexes)).map(label);
        expect(missing).toEqual(["rewards(user_id)", "rewards(user_id, status)", "rewards(user_id, created_at, id)", "payments(stripe_payment_id)"]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const after = await listIndexes(db);
    expect(REQUIRED_INDEXES.every((r) => isCovered(r, after))).toBe(true);
  });

  it("does not take a non-unique index for a required unique one", async () => {
    const indexes = await listIndexes(testDb.handle.db);
    const fake = indexes.map((ix) => (ix.name === "payments_stripe_payment_id_key" ? { ...ix, unique: false } : ix));
    expect(isCovered({ table: "payments", columns: ["stripe_payment_id"], unique: true }, fake)).toBe(false);
  });
});
