import type { ChildProcess } from "node:child_process";

import { request as playwrightRequest } from "@playwright/test";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { builtActions, callAction } from "./support/actions";
import { SiteHeader } from "./pages/site-header";
import { startSecondInstance } from "./support/second-instance";
import { TestWallet } from "./support/wallet";

/**
 * A second app instance on the same PostgreSQL database (the e2e one): sessions, rate limits and
 * state are shared through the database. The embedded PGlite serves one process only, so this
 * needs DATABASE_URL (CI sets it).
 */
const SECOND_PORT = Number(process.env.E2E_SECOND_PORT ?? 3211);
let second: ChildProcess | undefined;

test.skip(!process.env.DATABASE_URL, "two instances need PostgreSQL (DATABASE_URL); the embedded database serves one process");

test.beforeAll(async () => {
  second = await startSecondInstance(SECOND_PORT);
});

test.afterAll(() => {
  second?.kill("SIGTERM");
});

test("a session from one instance works on the other, and the rate limit holds across both", async ({ baseURL, asOtherContributor: user }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const a = user.request;
  const { cookies } = await a.storageState();
  const sessionOnB = await fetch(`${secondURL}/api/auth/session`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") } });
  expect(sessionOnB.status).toBe(200);
  const onB = await sessionOnB.json();
  expect(onB.address.toLowerCase()).toBe(user.address.toLowerCase());

  const created = await callAction<{ key: string }>(a, baseURL!, builtActions().get("ACTION lib/api-keys/actions.ts#createApiKeyAction")!, [
    { name: "two instances", scopes: ["contributions:read"] },
  ]);
  expect(created.ok).toBe(true);
  const headers = { authorization: `Bearer ${created.data!.key}` };
  const instances = [await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: headers }), await playwrightRequest.newContext({ baseURL: secondURL, extraHTTPHeaders: headers })];
  // Start at the beginning of a 10-second burst window so all requests fall into one.
  const untilNextWindow = 10_000 - (Date.now() % 10_000);
  if (untilNextWindow < 4_000) await new Promise((r) => setTimeout(r, untilNextWindow + 150));
  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) statuses.push((await instances[i % 2]!.get("/api/v1/contributions?limit=1")).status());
  // The free plan's burst is 10 per 10 s in total, whichever instance answers.
  expect(statuses).toEqual([...Array(10).fill(200), 429, 429, 429, 429]);
  for (const c of instances) await c.dispose();
});

test("live status published by one instance reaches a stream served by the other", async ({ baseURL, asContributor: { request: owner }, asAdmin: { request: admin } }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const created = await owner.post("/api/v1/contributions", {
    multipart: { title: "Seen across instances", file_type: "code", file: { name: "x.py", mimeType: "text/x-python", buffer: Buffer.from(`print(${Date.now()})\n`) } },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  const stream = await fetch(`${secondURL}/api/v1/contributions/${id}/events`, { signal: AbortSignal.timeout(30_000) });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const halt = builtActions().get("ACTION lib/verification/actions.ts#haltContributionAction")!;
  // Wait for the stream's first event (the current state), then change the status on instance A.
  while (!text.includes("event: status")) text += decoder.decode((await reader.read()).value);
  expect((await callAction(admin, baseURL!, halt, [{ contributionId: id, reason: "checking the bus" }], { id })).ok).toBe(true);
  while (!text.includes('"status":"halted"')) text += decoder.decode((await reader.read()).value);
  await reader.cancel();
});

test("two workers (one per instance) process every job exactly once", async ({ asOtherContributor: user, signedIn }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const owner = user.request;
  const onB = (await signedIn(user.privateKey, { baseURL: secondURL })).request;
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const api = i % 2 ? onB : owner;
    const res = await api.post("/api/v1/contributions", {
      multipart: { title: `Twice-safe ${i}`, file_type: "code", file: { name: `t${i}.py`, mimeType: "text/x-python", buffer: Buffer.from(`def f${i}():\n    return ${Date.now()}\n`) } },
    });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }
  for (const id of ids) {
    // The AI agent's vote arrives once, whichever worker took the job; never twice.
    await expect.poll(async () => (await (await owner.get(`/api/v1/contributions/${id}`)).json()).verification_count, { timeout: 30_000 }).toBe(1);
  }
  await new Promise((r) => setTimeout(r, 1_500));
  for (const id of ids) {
    const votes = await (await owner.get(`/api/v1/contributions/${id}/verifications`)).json();
    expect(votes.items).toHaveLength(1);
  }
});

test("the smoke path on the second instance: ready, pages render, a browser session from it works on the first", async ({ browser, baseURL }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const ready = await (await fetch(`${secondURL}/api/health/ready`)).json();
  expect(ready).toMatchObject({ status: "ok", checks: { database: { ok: true, driver: "postgres" }, ipfs: { ok: true } } });
  const context = await browser.newContext();
  const page = await context.newPage();
  const wallet = await new TestWallet(page, DEMO_ACCOUNTS[3].privateKey).install();
  await page.goto(`${secondURL}/`);
  await new SiteHeader(page).signIn(wallet.address);
  // Cookies are per host, not per port: the same browser is now signed in on instance A too.
  await page.goto(`${baseURL}/wallet`);
  await expect(page.getByRole("heading", { name: "Wallet" })).toBeVisible();
  await expect(page.getByTestId("wallet-address")).toContainText(wallet.address);
  await page.goto(`${secondURL}/contributions`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await context.close();
});

test("a resumable upload started on one instance finishes on the other (one shared upload folder), its PATCHes serialized across both", async ({ asOtherContributor: user, signedIn }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const onA = user.request;
  const onB = (await signedIn(user.privateKey, { baseURL: secondURL })).request;
  const file = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `row ${i},${Date.now()}\n`).join(""));
  const tus = { "tus-resumable": "1.0.0" };
  const created = await onA.post("/api/v1/uploads", {
    headers: { ...tus, "upload-length": String(file.length), "upload-metadata": `title ${btoa("Across instances")},file_type ${btoa("dataset")},filename ${btoa("rows.csv")}` },
  });
  expect(created.status()).toBe(201);
  const url = created.headers()["location"]!;
  const bytes = (offset: number, end: number) => ({ headers: { ...tus, "upload-offset": String(offset), "content-type": "application/offset+octet-stream" }, data: file.subarray(offset, end) });
  const cut = Math.floor(file.length * 0.4);
  expect((await onA.patch(url, bytes(0, cut))).status()).toBe(204);
  // The other instance knows where to resume: the bytes are in the shared folder.
  const head = await onB.head(url, { headers: tus });
  expect(head.headers()["upload-offset"]).toBe(String(cut));
  // The same next chunk on both at once: the advisory lock lets one write, the other is refused as out of date.
  const [a, b] = await Promise.all([onA.patch(url, bytes(cut, cut + 1000)), onB.patch(url, bytes(cut, cut + 1000))]);
  expect([a.status(), b.status()].sort()).toEqual([204, 409]);
  const done = await onB.patch(url, bytes(cut + 1000, file.length));
  expect(done.status()).toBe(204);
  const id = done.headers()["upload-contribution-id"]!;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  // Instance A answers the same for the finished upload.
  expect((await onA.head(url, { headers: tus })).headers()["upload-contribution-id"]).toBe(id);
  const row = await (await onA.get(`/api/v1/contributions/${id}`)).json();
  expect(row).toMatchObject({ title: "Across instances", size: file.length });
});
