import { sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";

import { openDatabase, queryRows } from "@/db/client";
import { databaseSettings } from "@/db/config";
import { connectCache } from "@/lib/cache/feed";
import { sleep } from "@/lib/sleep";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

// PostgreSQL only: two instances need two connections to one server (PGlite is one process's).
const testDb = setupTestDatabase();
let owner: { id: string; address: string };

beforeAll(async () => {
  owner = await insertUser(testDb.handle.db);
});

describe("across instances", () => {
  it("a write on one instance reaches another's cached answers within CACHE_MAX_STALENESS_MS (worst case measured)", async () => {
    const second = openDatabase(databaseSettings());
    const feed = connectCache(second, { maxStalenessMs: 1000, maxEntries: 1000, maxBytes: 2 ** 24 });
    // The other instance's writes: a client of its own (not this process's write watch), as another server's would be.
    const writer = postgres(databaseSettings().DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const c = { id: await insertContribution(testDb.handle.db, owner.id, { title: "v0" }) };
      const readTitle = () => {
        feed.touch();
        return feed.cache.get(`title ${c.id}`, { tables: ["contributions"] }, async () => {
          const [row] = await queryRows<{ title: string; cid: string }>(second.db, sql`SELECT title, cid FROM contributions WHERE id = ${c.id}`);
          return { value: row!.title, tags: [`c:${c.id}`] };
        });
      };
      let worst = 0;
      for (let v = 1; v <= 20; v++) {
        while ((await readTitle()) !== `v${v - 1}`) await sleep(1);
        await readTitle(); // cached now
        await writer`UPDATE contributions SET title = ${`v${v}`} WHERE id = ${c.id}`;
        const committed = performance.now();
        while ((await readTitle()) !== `v${v}`) await sleep(1);
        worst = Math.max(worst, performance.now() - committed);
      }
      expect(feed.cache.stats().hits).toBeGreaterThan(20);
      console.log(`worst staleness across instances: ${worst.toFixed(1)} ms`);
      expect(worst).toBeLessThan(1000);
    } finally {
      feed.close();
      await second.close();
      await writer.end();
    }
  });
});
