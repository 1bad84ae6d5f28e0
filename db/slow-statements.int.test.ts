import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { closeDb, getDb } from "@/db/client";
import { resetEnvCache } from "@/lib/config/env";
import { withLogContext } from "@/lib/log";
import { setupTestDatabase } from "@/test/db";

setupTestDatabase();

/** The JSON lines written to stderr while `fn` runs. */
async function stderrLines(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split("\n").filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("slow statement log", () => {
  beforeAll(async () => {
    process.env.SLOW_QUERY_MS = "40";
    resetEnvCache();
    await closeDb(); // reopen with the threshold
    await getDb().execute(sql`SELECT 1`); // (a fresh embedded database takes a moment to start)
  });
  afterEach(() => {
    delete process.env.SLOW_QUERY_MS;
  });

  it("logs a statement over the threshold with its duration, its text and the request id — not its parameters", async () => {
    const lines = await stderrLines(() => withLogContext({ requestId: "req-slow-0001" }, async () => await getDb().execute(sql`SELECT pg_sleep(0.06), ${"secret-param"}::text AS p`)));
    const slow = lines.filter((l) => l.msg === "slow statement");
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ level: "warn", requestId: "req-slow-0001", failed: false });
    expect(slow[0]!.durationMs as number).toBeGreaterThanOrEqual(55);
    expect(String(slow[0]!.statement)).toContain("pg_sleep");
    expect(JSON.stringify(slow[0])).not.toContain("secret-param");
  });

  it("also inside transactions, and not for fast statements", async () => {
    const lines = await stderrLines(() =>
      getDb().transaction(async (tx) => {
        await tx.execute(sql`SELECT 1`);
        await tx.execute(sql`SELECT pg_sleep(0.05)`);
      }),
    );
    const slow = lines.filter((l) => l.msg === "slow statement");
    expect(slow.map((l) => l.statement)).toEqual([expect.stringContaining("pg_sleep")]);
  });
});
