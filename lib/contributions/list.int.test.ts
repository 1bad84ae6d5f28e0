import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { countContributions, listContributions } from "@/lib/contributions/queries";
import { TOTAL_CAP, decodeCursor, formatTotal } from "@/lib/pagination";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

const testDb = setupTestDatabase();
const anonymous = () => Promise.resolve(null);
const titles: string[] = [];
let ownerId = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  ownerId = owner.id;
  // Distinct, increasing created_at (oldest first), with a few equal timestamps to exercise the id tiebreak.
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 23; i++) {
    const title = i % 5 === 0 ? `Fibonacci numbers, part ${i}` : `Item ${i}`;
    titles.push(title);
    await insertContribution(db, owner.id, { title, createdAt: new Date(base + Math.floor(i / 2) * 1000) });
  }
  await insertContribution(db, owner.id, { title: "Fibonacci calibration", calibration: true });
});

describe("title search tolerates typos", () => {
  it('"fibonaci" finds every "Fibonacci" title, newest first', async () => {
    const page = await listContributions({ q: "fibonaci", limit: 100 }, anonymous);
    expect(page.items.map((c) => c.title)).toEqual(titles.filter((t) => t.startsWith("Fibonacci")).reverse());
  });

  it("a substring still matches, and an unrelated word matches nothing", async () => {
    expect((await listContributions({ q: "onacci", limit: 100 }, anonymous)).items).toHaveLength(5);
    expect((await listContributions({ q: "zebra", limit: 100 }, anonymous)).items).toHaveLength(0);
    // LIKE's own specials are literal.
    expect((await listContributions({ q: "%", limit: 100 }, anonymous)).items).toHaveLength(0);
  });

  it("pages through typo matches with the keyset", async () => {
    const first = await listContributions({ q: "fibonaci", limit: 2 }, anonymous);
    const second = await listContributions({ q: "fibonaci", limit: 2, cursor: decodeCursor(first.nextCursor) }, anonymous);
    expect([...first.items, ...second.items].map((c) => c.title)).toEqual(titles.filter((t) => t.startsWith("Fibonacci")).reverse().slice(0, 4));
  });
});

describe("Previous and Next", () => {
  it("walk forward to the end and back to the start with no duplicate or gap", async () => {
    const all = (await listContributions({ limit: 100 }, anonymous)).items.map((c) => c.id);
    expect(all).toHaveLength(23);
    const forward: string[][] = [];
    let page = await listContributions({ limit: 5 }, anonymous);
    expect(page.prevCursor).toBeUndefined();
    forward.push(page.items.map((c) => c.id));
    while (page.nextCursor) {
      page = await listContributions({ limit: 5, cursor: decodeCursor(page.nextCursor) }, anonymous);
      forward.push(page.items.map((c) => c.id));
    }
    expect(forward.flat()).toEqual(all);
    expect(forward.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);

    const backward: string[][] = [page.items.map((c) => c.id)];
    while (page.prevCursor) {
      page = await listContributions({ limit: 5, cursor: decodeCursor(page.prevCursor, true) }, anonymous);
      backward.unshift(page.items.map((c) => c.id));
    }
    expect(backward).toEqual(forward);
    // Back on the first page: its Next is the second page again.
    const again = await listContributions({ limit: 5, cursor: decodeCursor(page.nextCursor) }, anonymous);
    expect(again.items.map((c) => c.id)).toEqual(forward[1]);
  });

  it("the API never accepts a Previous cursor", async () => {
    const second = await listContributions({ limit: 5, cursor: decodeCursor((await listContributions({ limit: 5 }, anonymous)).nextCursor) }, anonymous);
    expect(() => decodeCursor(second.prevCursor)).toThrow("Invalid cursor");
  });
});

describe("totals", () => {
  it("count what the filters match, calibration items never", async () => {
    expect(await countContributions({})).toBe(23);
    expect(await countContributions({ q: "fibonaci" })).toBe(5);
    expect(await countContributions({ q: "zebra" })).toBe(0);
  });

  // Last: it adds rows the other tests do not expect.
  it("stop past the cap and read as an estimate", async () => {
    await testDb.handle.db.execute(sql`INSERT INTO contributions (user_id, cid, sha256, file_name, file_type, media_type, size_bytes, title)
      SELECT ${ownerId}, 'bulk' || g, repeat('a', 64), 'a.txt', 'document', 'text/plain', 3, 'Bulk ' || g FROM generate_series(1, ${TOTAL_CAP + 5}) g`);
    expect(await countContributions({})).toBe(TOTAL_CAP + 1);
    expect(formatTotal(TOTAL_CAP + 1, "contribution")).toBe("10,000+ contributions");
    expect(formatTotal(1, "contribution")).toBe("1 contribution");
    expect(formatTotal(1234, "user")).toBe("1,234 users");
  });
});
