import { once } from "node:events";
import type { AddressInfo } from "node:net";

import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as confirmRoute } from "@/app/api/notifications/confirm/route";
import { POST as unsubscribeRoute } from "@/app/api/notifications/unsubscribe/route";
import { POST as emailRoute } from "@/app/api/v1/me/email/route";
import { GET as eventsRoute } from "@/app/api/v1/me/events/route";
import { GET as prefsRoute, PUT as putPrefsRoute } from "@/app/api/v1/me/notification-preferences/route";
import { POST as readRoute } from "@/app/api/v1/me/notifications/read/route";
import { GET as listRoute } from "@/app/api/v1/me/notifications/route";
import { events, jobs, notifications, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { JOB_HANDLERS } from "@/lib/job-runtime/handlers";
import { claimJobs, completeJob } from "@/lib/jobs/queue";
import { EVENT_FANOUT_JOB } from "@/lib/outbox/record";
import { fileAppeal } from "@/lib/verification/appeals";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { signedInCookie } from "@/test/session";
import { readEvents } from "@/test/sse";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";
import { assignedVote } from "@/test/votes";

import { notifyFor } from "./fan-out";
import { CONFIRM_EMAIL_JOB, NOTIFICATION_EMAIL_JOB } from "./jobs";

const testDb = setupTestDatabase();

/** Runs the queued jobs of these kinds the way the worker does (handler, then done), until none is left. */
async function runJobs(...kinds: string[]): Promise<number> {
  let ran = 0;
  for (;;) {
    const claimed = await claimJobs({ workerId: "test", kinds, limit: 10, leaseSeconds: 60 });
    if (claimed.length === 0) return ran;
    for (const job of claimed) {
      await JOB_HANDLERS[job.kind]!(job, { signal: new AbortController().signal });
      await completeJob(job, "test");
      ran++;
    }
  }
}
const fanOut = () => runJobs(EVENT_FANOUT_JOB.name);

const vote = (contributionId: string, userId: string, voteScore: number, reasoning: string) =>
  assignedVote({ contributionId, userId, voteScore, subScores: { quality: voteScore }, reasoning });

async function signedIn() {
  const account = newAccount();
  const cookie = await signedInCookie(account);
  const [u] = await testDb.handle.db.select({ id: users.id }).from(users).where(eq(users.address, account.address.toLowerCase()));
  return { cookie, id: u!.id };
}

const get = (cookie: string, path: string) => new Request(`${TEST_ORIGIN}${path}`, { headers: { cookie } });
const send = (cookie: string, method: string, path: string, body: unknown) =>
  new Request(`${TEST_ORIGIN}${path}`, { method, headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" }, body: JSON.stringify(body) });

type Listed = { unread: number; items: { id: string; kind: string; title: string; body: string; link: string; reasons: { score: number; reasoning: string }[]; read_at: string | null }[] };
const inbox = async (cookie: string, query = ""): Promise<Listed> => {
  const res = await listRoute(get(cookie, `/api/v1/me/notifications${query}`), undefined);
  expect(res.status).toBe(200);
  return (await res.json()) as Listed;
};

/** A contribution of `ownerId` decided by three fresh verifiers (scores 30, 40, 50: rejected at 40), the fan-out run after each vote. */
async function decide(ownerId: string, beforeDecision?: () => Promise<void>) {
  const { db } = testDb.handle;
  const id = await insertContribution(db, ownerId, { fileType: "code", title: "Parser module" });
  const voters = await Promise.all([0, 1, 2].map(() => insertUser(db, ["verifier"])));
  for (const [i, v] of voters.entries()) {
    if (i === 2) await beforeDecision?.();
    await vote(id, v.id, 30 + 10 * i, `reason number ${i + 1}: the tests are missing`);
    await fanOut();
  }
  return { id, voters };
}

describe("in-app notifications", () => {
  it("a decision notifies its owner with the reasons — nothing before it (sealed), nothing twice", async () => {
    const owner = await signedIn();
    const { id, voters } = await decide(owner.id, async () => {
      // Two sealed votes in: no event, no notification, nothing about the votes anywhere.
      expect((await inbox(owner.cookie)).items).toEqual([]);
      const rows = await testDb.handle.db.select({ type: events.type }).from(events);
      expect(rows.filter((r) => r.type === "contribution.decided" || r.type === "vote.revealed")).toEqual([]);
    });
    const list = await inbox(owner.cookie);
    expect(list.unread).toBe(1);
    expect(list.items).toHaveLength(1);
    const [n] = list.items;
    expect(n).toMatchObject({ kind: "contribution_decided", title: "“Parser module” was rejected", link: `/contributions/${id}`, read_at: null });
    expect(n!.body).toContain("Final score 40");
    expect(n!.reasons.map((r) => r.score)).toEqual([30, 40, 50]);
    expect(n!.reasons[0]!.reasoning).toBe("reason number 1: the tests are missing");
    // The voters are told nothing (vote.revealed is not a notification kind).
    expect(await testDb.handle.db.$count(notifications, eq(notifications.userId, voters[0]!.id))).toBe(0);

    // Idempotent: the same events fanned out again add nothing.
    const ids = (await testDb.handle.db.select({ id: events.id }).from(events)).map((e) => e.id);
    const before = await testDb.handle.db.$count(notifications);
    expect(await testDb.handle.db.transaction((tx) => notifyFor(tx, ids))).toBe(0);
    await testDb.handle.db.transaction((tx) => EVENT_FANOUT_JOB.enqueue(tx, { eventIds: ids }));
    await fanOut();
    expect(await testDb.handle.db.$count(notifications)).toBe(before);
  });

  it("nobody sees or touches someone else's notifications", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    await decide(owner.id);
    const mine = await inbox(owner.cookie);
    expect(mine.items).toHaveLength(1);
    expect((await inbox(other.cookie)).items).toEqual([]);
    const res = await readRoute(send(other.cookie, "POST", "/api/v1/me/notifications/read", { ids: [mine.items[0]!.id] }), undefined);
    expect(await res.json()).toEqual({ updated: 0, unread: 0 });
    expect((await inbox(owner.cookie)).unread).toBe(1);
    // Anonymous: 401.
    expect((await listRoute(new Request(`${TEST_ORIGIN}/api/v1/me/notifications`), undefined)).status).toBe(401);
    // The owner marks it read: unread filter and count follow.
    const ok = await readRoute(send(owner.cookie, "POST", "/api/v1/me/notifications/read", { all: true }), undefined);
    expect(await ok.json()).toEqual({ updated: 1, unread: 0 });
    expect((await inbox(owner.cookie, "?unread=true")).items).toEqual([]);
    expect((await inbox(owner.cookie)).items[0]!.read_at).not.toBeNull();
  });

  it("the live stream gets a notification committed by another connection, with the unread count", async () => {
    const owner = await signedIn();
    const controller = new AbortController();
    const res = await eventsRoute(new Request(`${TEST_ORIGIN}/api/v1/me/events`, { headers: { cookie: owner.cookie }, signal: controller.signal }), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const got = await readEvents<{ unread: number; notification: { title: string; kind: string } | null }>(
      res,
      2,
      async () => {
        await decide(owner.id);
      },
      "notification",
    );
    controller.abort();
    expect(got[0]).toEqual({ unread: 0, notification: null });
    expect(got[1]!.unread).toBe(1);
    expect(got[1]!.notification).toMatchObject({ kind: "contribution_decided", title: "“Parser module” was rejected" });
    expect((await eventsRoute(new Request(`${TEST_ORIGIN}/api/v1/me/events`), undefined)).status).toBe(401);
  });

  it("an appeal tells the verifiers who may sit on its panel — not the first round's voters, not the owner", async () => {
    const owner = await signedIn();
    const { id, voters } = await decide(owner.id);
    const fresh = await insertUser(testDb.handle.db, ["verifier"]);
    await fileAppeal({ contributionId: id, userId: owner.id, statement: "The tests are in the tests folder." });
    await fanOut();
    const [ev] = await testDb.handle.db.select().from(events).where(eq(events.type, "appeal.panel_assigned")).orderBy(events.createdAt).limit(1);
    expect(ev!.audience).toContain(fresh.id);
    for (const v of voters) expect(ev!.audience).not.toContain(v.id);
    expect(ev!.audience).not.toContain(owner.id);
    const [n] = await testDb.handle.db.select().from(notifications).where(and(eq(notifications.userId, fresh.id), eq(notifications.kind, "appeal_panel")));
    expect(n).toMatchObject({ title: "An appeal panel needs you: “Parser module”", link: "/verify" });
  });

  it("a kind switched off in-app is not written", async () => {
    const owner = await signedIn();
    const res = await putPrefsRoute(send(owner.cookie, "PUT", "/api/v1/me/notification-preferences", { preferences: [{ kind: "contribution_decided", channel: "in_app", enabled: false }] }), undefined);
    expect(res.status).toBe(200);
    await decide(owner.id);
    expect((await inbox(owner.cookie)).items).toEqual([]);
  });
});

describe("e-mail", () => {
  type Received = { to: string; raw: string };
  const received: Received[] = [];
  let server: SMTPServer;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, callback) {
        let raw = "";
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => (raw += chunk));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
          callback();
        });
      },
    });
    server.listen(0, "127.0.0.1");
    await once(server.server, "listening");
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const useSmtp = (on: boolean) => {
    if (on) process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    else delete process.env.SMTP_URL;
    resetEnvCache();
  };
  const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "mi").exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, " ").trim();
  const unfolded = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

  it("without SMTP_URL nothing is sent and nothing breaks", async () => {
    useSmtp(false);
    const owner = await signedIn();
    const res = await emailRoute(send(owner.cookie, "POST", "/api/v1/me/email", { address: "nobody@example.org" }), undefined);
    expect(res.status).toBe(409);
    await decide(owner.id);
    expect((await inbox(owner.cookie)).items).toHaveLength(1);
    expect(await testDb.handle.db.$count(jobs, eq(jobs.kind, NOTIFICATION_EMAIL_JOB.name))).toBe(0);
    const prefs = (await (await prefsRoute(get(owner.cookie, "/api/v1/me/notification-preferences"), undefined)).json()) as { email_available: boolean };
    expect(prefs.email_available).toBe(false);
    expect(received).toEqual([]);
  });

  it("confirmation mail, a notification mail with one-click unsubscribe, and the unsubscribe switching that kind off", async () => {
    useSmtp(true);
    const owner = await signedIn();
    const res = await emailRoute(send(owner.cookie, "POST", "/api/v1/me/email", { address: "owner@example.org" }), undefined);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ address: "owner@example.org", confirmed: false });
    // Not confirmed yet: a decision mails nothing.
    await decide(owner.id);
    expect(await testDb.handle.db.$count(jobs, eq(jobs.kind, NOTIFICATION_EMAIL_JOB.name))).toBe(0);

    expect(await runJobs(CONFIRM_EMAIL_JOB.name)).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toBe("owner@example.org");
    const token = /\/notifications\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(unfolded(received[0]!.raw))?.[1];
    expect(token).toBeTruthy();
    const wrong = await confirmRoute(new Request(`${TEST_ORIGIN}/api/notifications/confirm?token=${"x".repeat(43)}`, { method: "POST" }), undefined);
    expect(wrong.status).toBe(404);
    const ok = await confirmRoute(new Request(`${TEST_ORIGIN}/api/notifications/confirm?token=${token}`, { method: "POST" }), undefined);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ address: "owner@example.org", confirmed: true });

    // Confirmed: the next decision sends one mail (its rerun none), with RFC 8058 headers.
    await decide(owner.id);
    expect(await runJobs(NOTIFICATION_EMAIL_JOB.name)).toBe(1);
    expect(received).toHaveLength(2);
    const mail = received[1]!.raw;
    expect(header(mail, "Subject")).toMatch(/^=\?UTF-8\?Q\?=E2=80=9CParser_module/);
    expect(unfolded(mail)).toContain("was rejected");
    expect(unfolded(mail)).toContain("reason number 1: the tests are missing");
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const link = /^<(.+)>$/.exec(header(mail, "List-Unsubscribe") ?? "")?.[1];
    expect(link).toMatch(/\/api\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]{43}&kind=contribution_decided$/);
    expect(await runJobs(NOTIFICATION_EMAIL_JOB.name)).toBe(0);

    // One-click: a POST without any session, as a mail provider sends it.
    const url = new URL(link!);
    const unsub = await unsubscribeRoute(
      new Request(`${TEST_ORIGIN}${url.pathname}${url.search}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
      undefined,
    );
    expect(unsub.status).toBe(200);
    expect(await unsub.json()).toEqual({ unsubscribed: ["contribution_decided"], channel: "email" });
    const prefs = (await (await prefsRoute(get(owner.cookie, "/api/v1/me/notification-preferences"), undefined)).json()) as {
      preferences: Record<string, { in_app: boolean; email: boolean }>;
      email: { confirmed: boolean };
    };
    expect(prefs.preferences.contribution_decided).toEqual({ in_app: true, email: false });
    expect(prefs.preferences.appeal_decided).toEqual({ in_app: true, email: true });
    expect(prefs.email.confirmed).toBe(true);
    // Switched off: the next decision is in the inbox, not in the mailbox.
    await decide(owner.id);
    expect(await runJobs(NOTIFICATION_EMAIL_JOB.name)).toBe(0);
    expect(received).toHaveLength(2);
    expect((await inbox(owner.cookie)).items).toHaveLength(3);
    // A bad token: 404, nothing changes.
    const bad = await unsubscribeRoute(new Request(`${TEST_ORIGIN}/api/notifications/unsubscribe?token=${"y".repeat(43)}`, { method: "POST", body: "List-Unsubscribe=One-Click" }), undefined);
    expect(bad.status).toBe(404);
    // The pages' buttons post the same fields and are sent back to the page.
    const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
    const again = await confirmRoute(new Request(`${TEST_ORIGIN}/api/notifications/confirm`, form({ token: token!, from: "page" })), undefined);
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/notifications/confirm?result=invalid"); // single use
    const all = await unsubscribeRoute(new Request(`${TEST_ORIGIN}/api/notifications/unsubscribe`, form({ token: url.searchParams.get("token")!, from: "page" })), undefined);
    expect(all.status).toBe(303);
    expect(all.headers.get("location")).toMatch(/^\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]{43}&done=1$/);
    const after = (await (await prefsRoute(get(owner.cookie, "/api/v1/me/notification-preferences"), undefined)).json()) as { preferences: Record<string, { email: boolean }> };
    expect(Object.values(after.preferences).every((p) => !p.email)).toBe(true);
  });
});
