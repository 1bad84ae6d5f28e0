import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { GET as detailRoute } from "@/app/api/v1/contributions/[id]/route";
import { GET as fileRoute, HEAD as fileHeadRoute } from "@/app/api/v1/contributions/[id]/file/route";
import { contributionReads, subscriptions } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { addContent } from "@/lib/ipfs/content";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { setupTestIpfs } from "@/test/ipfs";
import { TEST_ORIGIN } from "@/test/siwe";

import { monthOf } from "./period";
import { flushReads } from "./reads";

const testDb = setupTestDatabase();
setupTestIpfs("reads");

async function* once(bytes: Uint8Array) {
  yield bytes;
}

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const req = (id: string, key?: string, path = "", method = "GET") =>
  new Request(`${TEST_ORIGIN}/api/v1/contributions/${id}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });

async function keyOf(plan: "free" | "pro", userId?: string) {
  const u = userId ?? (await insertUser(testDb.handle.db)).id;
  if (plan !== "free") await testDb.handle.db.insert(subscriptions).values({ userId: u, plan, status: "active", stripeSubscriptionId: `sub_${u}` });
  return (await createApiKey({ userId: u, name: "k", scopes: ["contributions:read"] })).key;
}

const readsOf = async (id: string) => {
  await flushReads();
  const rows = await testDb.handle.db.select().from(contributionReads).where(eq(contributionReads.contributionId, id));
  return rows.map((r) => ({ period: r.period, reads: r.reads }));
};

describe("keyed reads per contribution", () => {
  it("counts a paid key's detail and file reads, not free keys, the owner's own key, anonymous readers or HEAD", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const bytes = new TextEncoder().encode("a,b\n1,2\n");
    const stored = await addContent(once(bytes));
    await stored.pin();
    const id = await insertContribution(db, owner.id, { cid: stored.content.cid, sha256: stored.content.sha256, sizeBytes: bytes.length });
    const pro = await keyOf("pro");
    const free = await keyOf("free");
    const own = await keyOf("pro", owner.id);

    expect((await detailRoute(req(id, pro), ctx(id))).status).toBe(200);
    const file = await fileRoute(req(id, pro, "/file"), ctx(id));
    expect(file.status).toBe(200);
    await file.arrayBuffer();
    expect((await fileHeadRoute(req(id, pro, "/file", "HEAD"), ctx(id))).status).toBe(200);
    expect((await detailRoute(req(id, free), ctx(id))).status).toBe(200);
    expect((await detailRoute(req(id, own), ctx(id))).status).toBe(200);
    expect((await detailRoute(req(id), ctx(id))).status).toBe(200);

    expect(await readsOf(id)).toEqual([{ period: monthOf(new Date()), reads: 2 }]);
    // The API shows the month's count (what is flushed).
    const detail = await (await detailRoute(req(id), ctx(id))).json();
    expect(detail.api_reads).toEqual({ period: monthOf(new Date()), count: 2 });
  });

  it("loses no read when many arrive at once", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    const pro = await keyOf("pro");
    const answers = await Promise.all(Array.from({ length: 25 }, () => detailRoute(req(id, pro), ctx(id))));
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    expect(await readsOf(id)).toEqual([{ period: monthOf(new Date()), reads: 25 }]);
  });

  it("does not count a read of a contribution that is not there", async () => {
    const pro = await keyOf("pro");
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await detailRoute(req(missing, pro), ctx(missing))).status).toBe(404);
    expect(await readsOf(missing)).toEqual([]);
  });
});
