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
    expect((await live(new Request("http://localhost:3000/api/health/live"), undefined)).status).toBe(200);
    const res = await GET(new Request("http://localhost:3000/api/health"), undefined);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.live).toBe(true);
    expect(body.checks.database.reason).toMatch(new RegExp(`migrations pending: 0 of ${EXPECTED_MIGRATIONS}`));
  });

  it("is ready once migrations are applied, naming the driver", async () => {
    await migrateDatabase(testDb.handle);
    const res = await GET(new Request("http://localhost:3000/api/health"), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({
      status: "ok",
      live: true,
      checks: {
        database: { ok: true, driver: TEST_DRIVER, migrations: { applied: EXPECTED_MIGRATIONS, expected: EXPECTED_MIGRATIONS } },
        ipfs: { ok: true, network: "off" },
        jobs: { ok: true, lagSeconds: 0, dead: 0 },
      },
      services: { stripe: { configured: false }, chain: { configured: false }, llm: { configured: false } },
    });
    expect((await ready(new Request("http://localhost:3000/api/health/ready"), undefined)).status).toBe(200);
  });

  it("is degraded (still 200) when due jobs wait longer than 5 minutes: the workers are behind", async () => {
    await testDb.handle.db.execute(sql`INSERT INTO jobs (kind, payload, run_at) VALUES ('verify-contribution', '{}', now() - interval '10 minutes')`);
    const res = await ready(new Request("http://localhost:3000/api/health/ready"), undefined);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("degraded");
    expect(body.checks.jobs).toMatchObject({ ok: false, queued: 1 });
    expect(body.checks.jobs.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(body.checks.jobs.reason).toMatch(/workers behind/);
    await testDb.handle.db.execute(sql`DELETE FROM jobs`);
    expect((await (await ready(new Request("http://localhost:3000/api/health/ready"), undefined)).json()).status).toBe("ok");
  });

  it("reports a migration the database lost", async () => {
    await testDb.handle.db.execute(sql`DELETE FROM drizzle.__drizzle_migrations`);
    const res = await ready(new Request("http://localhost:3000/api/health/ready"), undefined);
    expect(res.status).toBe(503);
    expect((await res.json()).checks.database.ok).toBe(false);
  });
});
