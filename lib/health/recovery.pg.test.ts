import { describe, expect, it } from "vitest";

import { GET } from "@/app/api/health/route";
import { GET as listContributions } from "@/app/api/v1/contributions/route";
import { EXPECTED_MIGRATIONS } from "@/db/migrate";
import { setupProxiedPostgres } from "@/test/db";

const db = setupProxiedPostgres();

async function health() {
  const started = performance.now();
  const res = await GET(new Request("http://localhost:3000/api/health"), undefined);
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

describe("health while the database goes away and comes back", () => {
  it("answers 200, then 503 with a reason while down, then 200 again without a restart", async () => {
    expect((await health()).status).toBe(200);

    db.proxy().down();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("unavailable");
    expect(down.body.checks.database.reason).toMatch(/^database unreachable: /);
    expect(down.ms).toBeLessThan(5_000);
    // Still down on a second probe (fresh connection attempts are refused too).
    expect((await health()).status).toBe(503);
    // API routes answer fast with a retryable 503 problem, not a 500.
    const started = performance.now();
    const list = await listContributions(new Request("http://localhost:3000/api/v1/contributions"), undefined);
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).toBe("5");
    expect(await list.json()).toMatchObject({ status: 503, detail: "The database is unavailable right now; try again shortly" });
    expect(performance.now() - started).toBeLessThan(6_000);

    db.proxy().up();
    const back = await health();
    expect(back.status).toBe(200);
    expect(back.body.checks.database.migrations).toEqual({ applied: EXPECTED_MIGRATIONS, expected: EXPECTED_MIGRATIONS });
  });
});
