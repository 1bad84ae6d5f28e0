import type { APIRequestContext } from "@playwright/test";

import { pages, routeHandlers, serverActionsInBuild, serverActionsInSource, type BuiltAction } from "./authorization/inventory";
import { MATRIX, PERSONAS, PUBLIC_ENTRIES, type CallContext, type Case, type Persona } from "./authorization/matrix";
import { callAction as callActionOverHttp } from "./support/actions";
import { claimAssignmentOf } from "./support/assignments";
import { expect, test } from "./fixtures";
import { anonymousContext, signedInContext } from "./support/api-session";

const ALL: Persona[] = ["anonymous", "contributor", "other", "verifier", "admin"];
const actions = new Map<string, BuiltAction>(serverActionsInBuild().map((a) => [a.key, a]));

test("the matrix covers exactly what the app exposes", () => {
  const exposed = new Set([...routeHandlers(), ...pages(), ...serverActionsInSource(), ...actions.keys()]);
  const declared = new Set(Object.keys(MATRIX));
  expect([...exposed].filter((k) => !declared.has(k)), "exposed but missing from the matrix").toEqual([]);
  expect([...declared].filter((k) => !exposed.has(k)), "in the matrix but not exposed").toEqual([]);
  expect(serverActionsInSource().length, "server actions found").toBeGreaterThan(0);
});

test("only the reviewed public entries succeed for anonymous callers", () => {
  const open = Object.entries(MATRIX)
    .filter(([, c]) => [c.expect.anonymous].flat().some((status) => status < 400))
    .map(([k]) => k)
    .sort();
  expect(open).toEqual([...PUBLIC_ENTRIES].sort());
});

async function contextFor(baseURL: string, persona: Persona): Promise<APIRequestContext> {
  return persona === "anonymous" ? anonymousContext(baseURL) : signedInContext(baseURL, PERSONAS[persona].privateKey);
}

const callAction = (api: APIRequestContext, ctx: Pick<CallContext, "baseURL"> & { contributionId?: string }, action: BuiltAction, args: unknown[]) =>
  callActionOverHttp(api, ctx.baseURL, action, args, { id: ctx.contributionId });

/** Status of a response that never ends (SSE), read with the context's cookies, then aborted. */
async function streamStatus(api: APIRequestContext, url: string): Promise<number> {
  const { cookies } = await api.storageState();
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") }, signal: controller.signal });
  controller.abort();
  return res.status;
}

async function runCase(key: string, c: Case, api: APIRequestContext, ctx: CallContext): Promise<number> {
  const { baseURL } = ctx;
  const [kind, path] = key.split(" ") as [string, string];
  const target = c.url ? c.url(ctx) : path;
  const body = c.body ? await c.body(ctx, api) : undefined;
  if (kind === "ACTION") {
    const action = actions.get(key);
    if (!action) throw new Error(`${key} is not in the build`);
    const call = (args: unknown[]) => callAction(api, ctx, action, args);
    const result = await call((body as unknown[]) ?? []);
    if (result.ok) await c.after?.(api, call);
    return result.ok ? 200 : (result.status ?? 500);
  }
  const method = kind === "PAGE" ? "GET" : kind;
  if (c.stream) return streamStatus(api, `${baseURL}${target}`);
  const res = await api.fetch(target, {
    method,
    ...(body === undefined ? {} : { data: body }),
    ...(c.headers ? { headers: c.headers } : {}),
    ...(c.multipart ? { multipart: c.multipart(ctx) } : {}),
    maxRedirects: 0,
  });
  return res.status();
}

test("every persona gets the declared answer from every entry", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const contexts = new Map<Persona, APIRequestContext>();
  for (const p of ALL) contexts.set(p, await contextFor(baseURL!, p));
  let n = 0;
  const upload = async () => {
    const res = await contexts.get("contributor")!.post("/api/v1/contributions", {
      multipart: { title: `Matrix fixture ${n}`, file_type: "code", file: { name: "m.py", mimeType: "text/x-python", buffer: Buffer.from(`print(${Date.now()}, ${n++})\n`) } },
    });
    expect(res.status()).toBe(201);
    return (await res.json()).id as string;
  };
  const createKey = actions.get("ACTION lib/api-keys/actions.ts#createApiKeyAction")!;
  const keyResult = await callActionOverHttp<{ apiKey: { id: string } }>(contexts.get("contributor")!, baseURL!, createKey, [{ name: "matrix fixture", scopes: ["stats:read"] }]);
  expect(keyResult.ok).toBe(true);
  const resumable = async () => {
    const res = await contexts.get("contributor")!.post("/api/v1/uploads", {
      headers: { "tus-resumable": "1.0.0", "upload-length": "1024", "upload-metadata": `title ${btoa("Matrix resumable")},file_type ${btoa("document")},filename ${btoa("m.md")}` },
    });
    expect(res.status()).toBe(201);
    return res.headers()["location"]!;
  };
  const webhook = async () => {
    const res = await contexts.get("contributor")!.post("/api/v1/webhooks", { data: { url: "https://hooks.example.com/matrix-fixture", events: ["contribution.created"] } });
    expect(res.status()).toBe(201);
    return (await res.json()).id as string;
  };
  const ctx: CallContext = {
    baseURL: baseURL!,
    webhookId: await webhook(),
    spareWebhookIds: [await webhook(), await webhook()],
    uploadPath: await resumable(),
    spareUploadPath: await resumable(),
    contributorKeyId: keyResult.data!.apiKey.id,
    contributionId: await upload(),
    freshContribution: upload,
    assignedContribution: async (api) => {
      const id = await upload();
      // Only verifiers can be assigned work; for the others the vote is refused by role anyway.
      await claimAssignmentOf(api, baseURL!, id).catch(() => undefined);
      return id;
    },
    heldContribution: async () => {
      const id = await upload();
      const halt = actions.get("ACTION lib/verification/actions.ts#haltContributionAction")!;
      expect((await callAction(contexts.get("admin")!, { ...ctx, contributionId: id }, halt, [{ contributionId: id, reason: "held for the matrix" }])).ok).toBe(true);
      return id;
    },
  };
  const mismatches: string[] = [];
  for (const [key, c] of Object.entries(MATRIX)) {
    for (const persona of ALL) {
      const api = c.fresh ? await contextFor(baseURL!, persona) : contexts.get(persona)!;
      const status = await runCase(key, c, api, ctx);
      const expected = c.expect[persona];
      const allowed: readonly number[] = typeof expected === "number" ? [expected] : expected;
      if (!allowed.includes(status)) mismatches.push(`${key} as ${persona}: expected ${allowed.join(" or ")}, got ${status}`);
      if (c.fresh) await api.dispose();
    }
  }
  for (const api of contexts.values()) await api.dispose();
  expect(mismatches).toEqual([]);
});

/**
 * The self-verification attack, over HTTP as an outsider would run it: keys that vote are only for
 * verifier and agent accounts, all of a person's keys are one voter, and no key votes on its
 * owner's work. (The matrix above covers POST /api/v1/verifications for sessions: 401.)
 */
test("API keys cannot verify their owner's work or vote twice", async ({ baseURL, asContributor, freshVerifier }) => {
  const createKey = actions.get("ACTION lib/api-keys/actions.ts#createApiKeyAction")!;
  const contributor = asContributor.request;
  // A verifier of its own (new wallet, role granted by the admin), so its key cap is untouched.
  const verifier = (await freshVerifier()).request;
  const upload = async (api: APIRequestContext) => {
    const res = await api.post("/api/v1/contributions", {
      multipart: { title: "Self-verification probe", file_type: "code", file: { name: "p.py", mimeType: "text/x-python", buffer: Buffer.from(`print(${Date.now()}, ${Math.random()})\n`) } },
    });
    expect(res.status()).toBe(201);
    return (await res.json()).id as string;
  };
  const mint = (api: APIRequestContext, name: string) => callActionOverHttp<{ key: string }>(api, baseURL!, createKey, [{ name, scopes: ["verifications:write"] }]);
  const vote = (key: string, id: string) =>
    contributor.fetch("/api/v1/verifications", { method: "POST", headers: { authorization: `Bearer ${key}` }, data: { contribution_id: id, vote_score: 100, reasoning: "perfect" } });

  const refused = await mint(contributor, "self-vote 1");
  expect(refused).toMatchObject({ ok: false, status: 403 });
  expect(refused.error).toMatch(/verifications:write scope is only for verifier and agent/);

  const [k1, k2] = [await mint(verifier, "bot 1"), await mint(verifier, "bot 2")];
  expect(k1.ok && k2.ok).toBe(true);
  const theirs = await upload(contributor);
  // Not assigned to them yet: a verifier's key votes only on what its owner was assigned.
  expect((await vote(k1.data!.key, theirs)).status()).toBe(403);
  await claimAssignmentOf(verifier, baseURL!, theirs);
  expect((await vote(k1.data!.key, theirs)).status()).toBe(201);
  expect((await vote(k2.data!.key, theirs)).status()).toBe(409);
  const own = await upload(verifier);
  expect((await vote(k1.data!.key, own)).status()).toBe(403);
  expect((await vote(k2.data!.key, own)).status()).toBe(403);
  // Only the AI agent's vote is there; none cast through a key.
  const votes = (await (await contributor.get(`/api/v1/contributions/${own}/verifications`)).json()) as { items: { agent_type: string }[] };
  expect(votes.items.map((v) => v.agent_type).filter((t) => t !== "alpha")).toEqual([]);
});

/** Halted work, as each persona reaches it over HTTP: only its owner and admins, on every surface. */
test("halted content is served only to its owner and admins", async ({ baseURL }) => {
  const contexts = new Map<Persona, APIRequestContext>();
  for (const p of ALL) contexts.set(p, await contextFor(baseURL!, p));
  const title = `Contains personal data ${Date.now()}`;
  const res = await contexts.get("contributor")!.post("/api/v1/contributions", {
    multipart: { title, file_type: "document", file: { name: "pii.md", mimeType: "text/markdown", buffer: Buffer.from(`# Names and addresses\n\n${Math.random()}\n`) } },
  });
  expect(res.status()).toBe(201);
  const id = (await res.json()).id as string;
  const halt = actions.get("ACTION lib/verification/actions.ts#haltContributionAction")!;
  expect((await callAction(contexts.get("admin")!, { baseURL: baseURL!, contributionId: id }, halt, [{ contributionId: id, reason: "Contains personal data" }])).ok).toBe(true);

  const seen: Record<string, Record<string, number>> = {};
  for (const [persona, api] of contexts) {
    const file = `/api/v1/contributions/${id}/file`;
    seen[persona] = {
      page: (await api.get(`/contributions/${id}`)).status(),
      detail: (await api.get(`/api/v1/contributions/${id}`)).status(),
      file: (await api.get(file)).status(),
      head: (await api.head(file)).status(),
      range: (await api.get(file, { headers: { range: "bytes=0-3" } })).status(),
      preview: (await api.get(`/api/v1/contributions/${id}/preview`)).status(),
    };
    const list = await (await api.get("/contributions")).text();
    if (persona !== "contributor" && persona !== "admin") expect(list, `list as ${persona}`).not.toContain(title);
  }
  const hidden = { page: 404, detail: 404, file: 404, head: 404, range: 404, preview: 404 };
  const shown = { page: 200, detail: 200, file: 200, head: 200, range: 206, preview: 200 };
  expect(seen).toEqual({ anonymous: hidden, other: hidden, verifier: hidden, contributor: shown, admin: shown });
  const ownerPage = await (await contexts.get("contributor")!.get(`/contributions/${id}`)).text();
  expect(ownerPage).toContain("Contains personal data");
  for (const api of contexts.values()) await api.dispose();
});
