import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { CACHE_CHANNEL } from "@/db/cache-tags";
import type { DbHandle } from "@/db/client";
import { contributions, rewards, users } from "@/db/schema";
import { cacheStats } from "@/lib/cache";
import { getContribution, listContributions } from "@/lib/contributions/queries";
import type { Viewer } from "@/lib/contributions/visibility";
import { NotFoundError } from "@/lib/errors";
import { getUserStats } from "@/lib/users/stats";
import { heldContributions, rewardMetrics, userMetrics, verificationMetrics } from "@/lib/admin/metrics";
import { sleep } from "@/lib/sleep";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

const testDb = setupTestDatabase();
const anonymous = async () => null;
let owner: { id: string; address: string };

beforeAll(async () => {
  owner = await insertUser(testDb.handle.db);
  for (let i = 0; i < 5; i++) await insertContribution(testDb.handle.db, owner.id, { title: `Seed ${i}` });
});

async function notifications(handle: DbHandle, during: () => Promise<unknown>): Promise<string[]> {
  const heard: string[] = [];
  const keep = (payload: string) => {
    if (!payload.startsWith("~")) heard.push(payload);
  };
  const stop = handle.sql ? (await handle.sql.listen(CACHE_CHANNEL, keep)).unlisten : await handle.pglite!.listen(CACHE_CHANNEL, keep);
  try {
    await during();
    await sleep(100);
  } finally {
    await stop();
  }
  return heard;
}

describe("the triggers announce committed changes of cached tables", () => {
  it("names the table and the changed rows' keys, once per statement, only after commit", async () => {
    const { db } = testDb.handle;
    let id = "";
    let cid = "";
    const heard = await notifications(testDb.handle, async () => {
      id = await insertContribution(db, owner.id, { title: "Announced", cid: (cid = `bafy${Date.now()}`) });
    });
    expect(heard).toHaveLength(1);
    expect(heard[0]!.split(" ")[0]).toBe("contributions");
    expect(new Set(heard[0]!.split(" ").slice(1))).toEqual(new Set([`c:${id}`, `u:${owner.id}`, `cid:${cid}`]));

    const rolledBack = await notifications(testDb.handle, () =>
      db
        .transaction(async (tx) => {
          await tx.update(contributions).set({ title: "Never" }).where(eq(contributions.id, id));
          throw new Error("roll back");
        })
        .catch(() => {}),
    );
    expect(rolledBack).toEqual([]);

    const nothingMatched = await notifications(testDb.handle, () => db.update(contributions).set({ title: "x" }).where(eq(contributions.title, "no such title")));
    expect(nothingMatched).toEqual([]);
  });

  it("says * past 150 keys (a bulk statement)", async () => {
    const heard = await notifications(testDb.handle, () => testDb.handle.db.execute(sql`UPDATE ${contributions} SET title = title`));
    // 6 rows × 3 keys ≤ 150: the keys; 200 new users in one statement: *
    const [table, ...keys] = heard[0]!.split(" ");
    expect(table).toBe("contributions");
    expect(keys.filter((k) => k.startsWith("c:"))).toHaveLength(6);
    const bulk = await notifications(testDb.handle, () =>
      testDb.handle.db.execute(sql`INSERT INTO ${users} (address) SELECT '0x' || lpad(to_hex(g), 40, '0') FROM generate_series(1, 200) g`),
    );
    expect(bulk).toEqual(["users *"]);
  });
});

describe("on the instance that wrote", () => {
  it("a read that starts after a committed write never returns the answer from before it", async () => {
    const { db } = testDb.handle;
    const hitsBefore = cacheStats()?.hits ?? 0;
    for (let round = 0; round < 20; round++) {
      // Warm: the first page is cached (read twice).
      await listContributions({ limit: 10 }, anonymous);
      await listContributions({ limit: 10 }, anonymous);
      // Readers keep reading while the write commits; each read that started after the commit must see it.
      let committedAt = Infinity;
      let created = "";
      let stop = false;
      const stale: number[] = [];
      const readers = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const startedAt = performance.now();
          const page = await listContributions({ limit: 10 }, anonymous);
          if (startedAt > committedAt && page.items[0]?.id !== created) stale.push(startedAt - committedAt);
          await new Promise(setImmediate); // a cache hit does no I/O: let timers and the write run
        }
      });
      await sleep(2);
      created = await insertContribution(db, owner.id, { title: `Round ${round}` });
      committedAt = performance.now();
      await sleep(20);
      stop = true;
      await Promise.all(readers);
      expect(stale).toEqual([]);
    }
    expect((cacheStats()?.hits ?? 0) - hitsBefore).toBeGreaterThan(20); // the cache was in use, not bypassed
  });

  it("a detail and stats changed by raw SQL or inside a transaction are fresh on the next read", async () => {
    const { db } = testDb.handle;
    const c = { id: await insertContribution(db, owner.id, { title: "Before" }) };
    expect((await getContribution(c.id, anonymous)).title).toBe("Before");
    expect((await getContribution(c.id, anonymous)).title).toBe("Before");
    await db.execute(sql`UPDATE ${contributions} SET title = 'After' WHERE id = ${c.id}`);
    expect((await getContribution(c.id, anonymous)).title).toBe("After");
    const stats = await getUserStats(owner.address);
    await db.transaction(async (tx) => {
      await tx.update(contributions).set({ status: "verified", qualityScore: 90 }).where(eq(contributions.id, c.id));
    });
    const after = await getUserStats(owner.address);
    expect(after.contributions.verified).toBe(stats.contributions.verified + 1);
  });
});

describe("the admin console's figures", () => {
  it("are fresh after each write that changes them", async () => {
    const { db } = testDb.handle;
    const before = { rewards: await rewardMetrics(), held: await heldContributions(), users: await userMetrics(), verification: await verificationMetrics() };
    expect(await rewardMetrics()).toBe(before.rewards); // the cached answer itself
    const c = await insertContribution(db, owner.id, { title: "Held one", status: "paused", haltReason: "checking" });
    await db.insert(rewards).values({ userId: owner.id, contributionId: c, amount: "5" });
    await insertUser(db);
    expect((await rewardMetrics()).pending).toBe(before.rewards.pending + 5);
    expect((await heldContributions()).map((h) => h.id)).toContain(c);
    expect((await userMetrics()).total).toBe(before.users.total + 1);
    expect((await verificationMetrics()).byStatus.paused).toBe((before.verification.byStatus.paused ?? 0) + 1);
  });
});

describe("cached answers and who asks", () => {
  it("a withheld contribution cached for its owner is still 404 for others, and a placeholder in their lists", async () => {
    const { db } = testDb.handle;
    const other = await insertUser(db);
    const c = { id: await insertContribution(db, owner.id, { title: "Sealed content", status: "halted", haltReason: "under review" }) };
    const asOwner = async (): Promise<Viewer> => ({ userId: owner.id, address: owner.address, roles: ["contributor"] });
    const asOther = async (): Promise<Viewer> => ({ userId: other.id, address: other.address, roles: ["contributor"] });
    expect((await getContribution(c.id, asOwner)).title).toBe("Sealed content");
    // Just after its own write this instance reads past the cache until its fence is back (on a busy
    // machine, more than a few reads later): wait until the owner's read is answered from the cache.
    for (let tries = 0; ; tries++) {
      const before = cacheStats()!.hits;
      await getContribution(c.id, asOwner);
      if (cacheStats()!.hits > before) break;
      if (tries > 200) throw new Error("the owner's read never came from the cache");
      await sleep(25);
    }
    const hits = cacheStats()!.hits;
    await expect(getContribution(c.id, asOther)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getContribution(c.id, anonymous)).rejects.toBeInstanceOf(NotFoundError);
    expect(cacheStats()!.hits).toBeGreaterThan(hits); // answered from the owner's cached read
    const ownerPage = await listContributions({ limit: 5 }, asOwner);
    const otherPage = await listContributions({ limit: 5 }, asOther);
    expect(ownerPage.items.find((i) => i.id === c.id)?.title).toBe("Sealed content");
    expect(otherPage.items.find((i) => i.id === c.id)).toMatchObject({ title: "Withheld by moderation", description: "", cid: "", halt_reason: null });
  });
});
