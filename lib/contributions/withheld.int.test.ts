/**
 * Halted content is served only to its owner and admins — on every route, HEAD and Range alike —,
 * its bytes are withheld under every other contribution with the same CID, and its blocks leave
 * the view the node shares with the IPFS network. Through the real route handlers and the real node.
 */
import { randomBytes } from "node:crypto";

import { eq } from "drizzle-orm";
import { CID } from "multiformats/cid";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as listRoute, POST as uploadRoute } from "@/app/api/v1/contributions/route";
import { GET as detailRoute } from "@/app/api/v1/contributions/[id]/route";
import { GET as eventsRoute } from "@/app/api/v1/contributions/[id]/events/route";
import { GET as fileRoute, HEAD as headRoute } from "@/app/api/v1/contributions/[id]/file/route";
import { GET as statusRoute } from "@/app/api/v1/contributions/[id]/status/route";
import { GET as votesRoute } from "@/app/api/v1/contributions/[id]/verifications/route";
import { GET as userListRoute } from "@/app/api/v1/users/[address]/contributions/route";
import { withheldBlocks } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { dagBlockCids } from "@/lib/ipfs/content";
import { getIpfs } from "@/lib/ipfs/node";
import { withholdingBlockstore } from "@/lib/ipfs/withheld";
import { moderate } from "@/lib/verification/moderation";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

const testDb = setupTestDatabase();
// 2.5 MiB of CSV: three 1 MiB leaves under a root, so the network view is checked on a real multi-block DAG.
const bytes = Buffer.from(`id,value\n${Array.from({ length: 40_000 }, (_, i) => `${i},${randomBytes(32).toString("hex")}`).join("\n")}\n`);

type Who = { cookie?: string; key?: string };
const people: Record<"owner" | "duplicateOwner" | "stranger" | "admin", Who> = { owner: {}, duplicateOwner: {}, stranger: {}, admin: {} };
const anonymous: Who = {};
let halted = "";
let duplicate = "";
let ownerAddress = "";

function headers(who: Who, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra);
  if (who.cookie) h.set("cookie", who.cookie);
  if (who.key) h.set("authorization", `Bearer ${who.key}`);
  return h;
}
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (route: (r: Request, c: never) => Promise<Response>, path: string, id: string, who: Who, extra?: Record<string, string>) =>
  route(new Request(`${TEST_ORIGIN}${path}`, { headers: headers(who, extra) }), ctx(id) as never);

async function upload(who: Who, title: string): Promise<string> {
  const fd = new FormData();
  fd.append("title", title);
  fd.append("file_type", "dataset");
  fd.append("file", new Blob([bytes]), "people.csv");
  const res = await uploadRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: headers(who, { origin: TEST_ORIGIN }), body: fd }), undefined);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Every way of reading one contribution, with the status each answered. */
async function reads(id: string, who: Who): Promise<Record<string, number>> {
  const base = `/api/v1/contributions/${id}`;
  const events = await get(eventsRoute, `${base}/events`, id, who);
  await events.body?.cancel();
  return {
    detail: (await get(detailRoute, base, id, who)).status,
    status: (await get(statusRoute, `${base}/status`, id, who)).status,
    verifications: (await get(votesRoute, `${base}/verifications`, id, who)).status,
    events: events.status,
    file: (await get(fileRoute, `${base}/file`, id, who)).status,
    head: (await get(headRoute, `${base}/file`, id, who)).status,
    range: (await get(fileRoute, `${base}/file`, id, who, { range: "bytes=0-99" })).status,
  };
}
const all = (status: number) => ({ detail: status, status, verifications: status, events: status, file: status, head: status, range: status === 200 ? 206 : status });

beforeAll(async () => {
  const { db } = testDb.handle;
  for (const name of ["owner", "duplicateOwner", "stranger"] as const) people[name].cookie = await signedInCookie(newAccount());
  const admin = await insertUser(db, ["admin"]);
  people.admin.key = (await createApiKey({ userId: admin.id, name: "admin reader", scopes: ["contributions:read", "stats:read"] })).key;
  halted = await upload(people.owner, "Contains personal data");
  duplicate = await upload(people.duplicateOwner, "Same bytes, other owner");
  ownerAddress = ((await (await get(detailRoute, `/api/v1/contributions/${halted}`, halted, anonymous)).json()) as { owner: string }).owner;
  await moderate({ actorId: admin.id, contributionId: halted, action: "halt", reason: "Contains personal data" });
});

describe("halted content", () => {
  it("is 404 on every route for anonymous callers and other users", async () => {
    expect(await reads(halted, anonymous)).toEqual(all(404));
    expect(await reads(halted, people.stranger)).toEqual(all(404));
    expect(await reads(halted, people.duplicateOwner)).toEqual(all(404));
  });

  it("is served to its owner (with the halt reason) and to admins", async () => {
    expect(await reads(halted, people.owner)).toEqual(all(200));
    expect(await reads(halted, people.admin)).toEqual(all(200));
    const detail = (await (await get(detailRoute, `/api/v1/contributions/${halted}`, halted, people.owner)).json()) as { halt_reason: string };
    expect(detail.halt_reason).toBe("Contains personal data");
    const file = await get(fileRoute, `/api/v1/contributions/${halted}/file`, halted, people.admin);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    // Never into a shared cache, unlike public files.
    expect(file.headers.get("cache-control")).toMatch(/^private, no-store/);
  });

  it("shows others no more than a placeholder in lists", async () => {
    for (const res of [
      await listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?limit=100`), undefined),
      await userListRoute(new Request(`${TEST_ORIGIN}/api/v1/users/${ownerAddress}/contributions`), { params: Promise.resolve({ address: ownerAddress }) }),
    ]) {
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(body).not.toContain("Contains personal data");
      const item = (JSON.parse(body) as { items: { id: string; status: string; cid: string; title: string; halt_reason: string | null }[] }).items.find((i) => i.id === halted)!;
      expect(item).toMatchObject({ status: "halted", cid: "", title: "Withheld by moderation", halt_reason: null });
    }
    const own = (await (await listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?limit=100`, { headers: headers(people.admin) }), undefined)).json()) as { items: { id: string; title: string }[] };
    expect(own.items.find((i) => i.id === halted)!.title).toBe("Contains personal data");
  });

  it("withholds the same bytes under another contribution's id, except from that one's owner and admins", async () => {
    const file = (who: Who) => get(fileRoute, `/api/v1/contributions/${duplicate}/file`, duplicate, who);
    expect((await file(anonymous)).status).toBe(404);
    expect((await file(people.stranger)).status).toBe(404);
    expect((await get(headRoute, `/api/v1/contributions/${duplicate}/file`, duplicate, anonymous)).status).toBe(404);
    expect((await file(people.duplicateOwner)).status).toBe(200);
    expect((await file(people.admin)).status).toBe(200);
    // Its listing itself is not halted: only the bytes are withheld.
    expect((await get(detailRoute, `/api/v1/contributions/${duplicate}`, duplicate, anonymous)).status).toBe(200);
  });

  it("leaves the network's view of the node, and comes back on resume", async () => {
    const { db } = testDb.handle;
    const detail = (await (await get(detailRoute, `/api/v1/contributions/${halted}`, halted, people.owner)).json()) as { cid: string };
    const blocks: string[] = [];
    for await (const b of dagBlockCids(detail.cid)) blocks.push(b);
    expect(blocks).toHaveLength(4);
    const recorded = await db.select({ block: withheldBlocks.blockCid }).from(withheldBlocks).where(eq(withheldBlocks.rootCid, detail.cid));
    expect(recorded.map((r) => r.block).sort()).toEqual([...blocks].sort());

    const node = await getIpfs();
    const shared = withholdingBlockstore(node.blockstore);
    const leaf = CID.parse(blocks.at(-1)!);
    expect(await node.blockstore.has(leaf)).toBe(true);
    expect(await shared.has(leaf)).toBe(false);
    await expect(async () => {
      for await (const _ of shared.get(leaf)) void _;
    }).rejects.toMatchObject({ name: "NotFoundError" });

    const admin = await insertUser(db, ["admin"]);
    await moderate({ actorId: admin.id, contributionId: halted, action: "resume", reason: "redacted" });
    expect(await shared.has(leaf)).toBe(true);
    expect((await get(fileRoute, `/api/v1/contributions/${duplicate}/file`, duplicate, anonymous)).status).toBe(200);
    expect((await get(fileRoute, `/api/v1/contributions/${halted}/file`, halted, anonymous)).status).toBe(200);
  });
});
