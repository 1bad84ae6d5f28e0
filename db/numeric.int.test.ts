import { avg, count, sql, sum } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { setupTestDatabase } from "@/test/db";

import { toNumber, toNumberOrNull } from "./numeric";
import { contributions, rewards, users } from "./schema";

const testDb = setupTestDatabase();

describe("sum/avg through the driver", () => {
  it("come back as strings and convert exactly with the helpers", async () => {
    const { db } = testDb.handle;
    const [user] = await db.insert(users).values({ address: `0x${"1".repeat(40)}` }).returning({ id: users.id });
    const rows = [
      { q: 80.25, amount: "12.345678901234567891" },
      { q: 60.5, amount: "0.000000000000000001" },
      { q: 99.75, amount: "100.5" },
    ];
    for (const [i, r] of rows.entries()) {
      const [c] = await db
        .insert(contributions)
        .values({
          userId: user!.id,
          cid: `bafy${i}`,
          sha256: String(i).repeat(64),
          fileName: `f${i}.txt`,
          fileType: "document",
          mediaType: "text/plain",
          sizeBytes: 10,
          title: `t${i}`,
          qualityScore: r.q,
        })
        .returning({ id: contributions.id });
      await db.insert(rewards).values({ userId: user!.id, contributionId: c!.id, amount: r.amount });
    }
    const [agg] = await db.select({ total: sum(rewards.amount), n: count() }).from(rewards);
    const [q] = await db.select({ avg: avg(contributions.qualityScore), none: sum(contributions.verificationCount) }).from(contributions);
    expect(typeof agg!.total).toBe("string");
    expect(agg!.total).toBe("112.845678901234567892");
    expect(toNumber(agg!.total)).toBeCloseTo(112.8456789, 6);
    expect(agg!.n).toBe(3);
    expect(toNumber(q!.avg)).toBeCloseTo(80.1666667, 6);
    expect(toNumber(q!.none)).toBe(0);
    const [empty] = await db.select({ avg: avg(rewards.amount) }).from(rewards).where(sql`false`);
    expect(toNumberOrNull(empty!.avg)).toBeNull();
    expect(toNumber(empty!.avg)).toBe(0);
  });
});

