import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { request as playwrightRequest } from "@playwright/test";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { builtActions, callAction } from "./support/actions";
import { signedInContext } from "./support/api-session";

/**
 * A second app instance on the same PostgreSQL database (the e2e one): sessions, rate limits and
 * state are shared through the database. The embedded PGlite serves one process only, so this
 * needs DATABASE_URL (CI sets it).
 */
const SECOND_PORT = Number(process.env.E2E_SECOND_PORT ?? 3211);
let second: ChildProcess | undefined;

test.skip(!process.env.DATABASE_URL, "two instances need PostgreSQL (DATABASE_URL); the embedded database serves one process");

test.beforeAll(async () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_e2e`;
  second = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(SECOND_PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "nwu-second-")), WORKERS: "off", NODE_ENV: "production" },
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    if (second.exitCode !== null) throw new Error(`the second instance exited (${second.exitCode}); is port ${SECOND_PORT} free?`);
    const health = await fetch(`http://127.0.0.1:${SECOND_PORT}/api/health`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    // Make sure it is ours, on PostgreSQL, not something else left on the port.
    if (health?.checks?.database?.driver === "postgres") return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("the second instance did not start");
});

test.afterAll(() => {
  second?.kill("SIGTERM");
});

test("a session from one instance works on the other, and the rate limit holds across both", async ({ baseURL }) => {
  const secondURL = `http://127.0.0.1:${SECOND_PORT}`;
  const user = DEMO_ACCOUNTS[4];
  const a = await signedInContext(baseURL!, user.privateKey);
  const { cookies } = await a.storageState();
  const sessionOnB = await fetch(`${secondURL}/api/auth/session`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") } });
  expect(sessionOnB.status).toBe(200);
  const onB = await sessionOnB.json();
  expect(onB.address.toLowerCase()).toBe(user.address);

  const created = await callAction<{ key: string }>(a, baseURL!, builtActions().get("ACTION app/settings/api-keys/actions.ts#createApiKeyAction")!, [
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
  for (const c of [...instances, a]) await c.dispose();
});
