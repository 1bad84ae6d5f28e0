import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { GET } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as live } from "@/app/api/health/live/route";
import { EXPECTED_MIGRATIONS, migrateDatabase } from "@/db/migrate";
import { TEST_DRIVER, setupTestDatabase } from "@/test/db";

const testDb = setupTestDatabase({ migrate: false });

describe("/api/health", () => {
  it("is live even before migrations, but not ready", async () => {
    expect((await live()).status).toBe(200);
    const res = await GET();
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.live).toBe(true);
    expect(body.checks.database.reason).toMatch(new RegExp(`migrations pending: 0 of ${EXPECTED_MIGRATIONS}`));
  });

  it("is ready once migrations are applied, naming the driver", async () => {
    await migrateDatabase(testDb.handle);
    const res = await GET();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({
      status: "ok",
      live: true,
      checks: { database: { ok: true, driver: TEST_DRIVER, migrations: { applied: EXPECTED_MIGRATIONS, expected: EXPECTED_MIGRATIONS } } },
    });
    expect((await ready()).status).toBe(200);
  });

  it("reports a migration the database lost", async () => {
    await testDb.handle.db.execute(sql`DELETE FROM drizzle.__drizzle_migrations`);
    const res = await ready();
    expect(res.status).toBe(503);
    expect((await res.json()).checks.database.ok).toBe(false);
  });
});
