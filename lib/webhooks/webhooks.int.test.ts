import http from "node:http";
import type { AddressInfo } from "node:net";

import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "@/db/client";
import { jobs, subscriptions, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { WebhookEventType } from "@/db/vocabulary";
import { resetEnvCache } from "@/lib/config/env";
import { JOB_HANDLERS, WEBHOOK_HANDLERS } from "@/lib/job-runtime/handlers";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { recordEvent } from "@/lib/outbox/record";
import type { EventData } from "@/lib/outbox/types";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";

import { listDeliveries, resendDelivery } from "./deliveries";
import { WEBHOOK_DRAIN_JOB } from "./drain-job";
import { createEndpoint, enableEndpoint, listEndpoints, rotateSecret } from "./endpoints";
import { applyWebhookRetention } from "./retention";

/**
 * Webhooks through the real stack: events recorded in a transaction, fanned out and delivered by the
 * real workers over real HTTP to a local receiver, which verifies every delivery with the Standard
 * Webhooks reference library (`standardwebhooks`) — the one receivers use.
 */
setupTestDatabase();

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: unknown;
}

/** A receiver whose behaviour each test sets: answer (default 200), hang, or stream a huge body. */
class Receiver {
  server = http.createServer((req, res) => this.handle(req, res));
  received: Received[] = [];
  secrets: string[] = [];
  mode: "ok" | "down" | "hang" | "huge" | "redirect" | "bad-request" = "ok";
  hugeBytesWritten = 0;
  url = "";

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = { "webhook-id": String(req.headers["webhook-id"]), "webhook-timestamp": String(req.headers["webhook-timestamp"]), "webhook-signature": String(req.headers["webhook-signature"]) };
      if (this.mode === "down") return void res.writeHead(503).end("maintenance");
      if (this.mode === "bad-request") return void res.writeHead(400).end("no thanks");
      if (this.mode === "redirect") return void res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      if (this.mode === "hang") return; // never answers
      // Every secret the test expects must verify the delivery on its own.
      const verified = this.secrets.map((s) => new Webhook(s).verify(body, headers));
      this.received.push({ id: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"], body, verified: verified[0] });
      if (this.mode === "huge") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(1024 * 1024, 97);
        const pump = () => {
          while (this.hugeBytesWritten < 50 * 1024 * 1024) {
            this.hugeBytesWritten += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("error", () => {});
        return pump();
      }
      res.writeHead(200).end("ok");
    });
  }

  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let receiver: Receiver;
let workers: Worker[] = [];
let pro: { id: string };
let stranger: { id: string };
let admin: { id: string };

function startWorkers() {
  workers = [
    startWorker({ handlers: JOB_HANDLERS, concurrency: 2, leaseSeconds: 30, pollMs: 50 }),
    startWorker({ handlers: WEBHOOK_HANDLERS, concurrency: 2, leaseSeconds: 30, pollMs: 50 }),
  ];
}

beforeAll(async () => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "on";
  process.env.WEBHOOK_TIMEOUT_MS = "800";
  resetEnvCache();
  receiver = new Receiver();
  await receiver.start();
  const db = getDb();
  pro = await insertUser(db);
  stranger = await insertUser(db);
  admin = await insertUser(db, ["admin", "contributor"]);
  for (const u of [pro, stranger]) await db.insert(subscriptions).values({ userId: u.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${u.id}` });
  startWorkers();
});

afterEach(async () => {
  receiver.mode = "ok";
  // Let a delivery in flight finish recording before its endpoint goes (else the two writes deadlock).
  await getDb().update(webhookEndpoints).set({ status: "disabled" });
  await until("no delivery run in flight", async () => (await getDb().$count(jobs, sql`${jobs.kind} = ${WEBHOOK_DRAIN_JOB.name} AND ${jobs.status} = 'running'`)) === 0);
  await getDb().delete(webhookEndpoints);
  receiver.received = [];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(1_000)));
  await receiver.close();
  delete process.env.WEBHOOK_ALLOW_PRIVATE;
  delete process.env.WEBHOOK_TIMEOUT_MS;
  resetEnvCache();
});

const AT = "2026-12-01T00:00:00.000Z";
const C = "00000000-0000-4000-8000-00000000c0de";
/** Each type's data as the app records it (the inbox composes from these fields too); tests override a few. */
const SAMPLE: { [T in WebhookEventType]: EventData[T] } = {
  "contribution.created": { contribution_id: C, title: "T", file_type: "document", status: "pending", size_bytes: 1, ipfs_cid: "bafy", created_at: AT },
  "contribution.decided": { contribution_id: C, status: "verified", score: 90, round: 1, votes: 3, reward: null, decided_at: AT },
  "contribution.appealed": { contribution_id: C, appeal_id: C, first_score: 40, appealed_at: AT },
  "appeal.decided": { appeal_id: C, contribution_id: C, outcome: "upheld", score: 40, decided_at: AT },
  "vote.revealed": { contribution_id: C, verification_id: C, voter: "0x0", round: 1, score: 80, weight: 1, revealed_at: AT },
  "reward.created": { reward_id: C, contribution_id: C, amount: "1.5", created_at: AT },
  "reward.distributed": { reward_id: C, contribution_id: C, amount: "1.5", tx_hash: "0xab", chain_id: 31337, batch_id: C, distributed_at: AT },
  "payout.failed": { reward_id: C, contribution_id: C, amount: "1.5", batch_id: C, reason: "RPC down", failed_at: AT },
  "subscription.updated": { subscription_id: C, plan: "pro", status: "active", cancel_at_period_end: false, current_period_end: null, updated_at: AT },
};
const record = <T extends WebhookEventType>(type: T, audience: string[], data: Partial<EventData[T]>) =>
  getDb().transaction((tx) => recordEvent(tx, { type, audience, data: { ...SAMPLE[type], ...data } as EventData[T] }));

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ends an endpoint's rest after a failure now, instead of after its backoff (seconds to an hour). */
async function skipBackoff(endpointId: string) {
  await getDb().update(webhookEndpoints).set({ retryAt: null }).where(eq(webhookEndpoints.id, endpointId));
  await getDb().update(webhookDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(webhookDeliveries.endpointId, endpointId));
  await getDb().update(jobs).set({ runAt: sql`now()` }).where(sql`${jobs.kind} = ${WEBHOOK_DRAIN_JOB.name} AND ${jobs.status} = 'queued'`);
}

const statusesOf = async (endpointId: string) => (await getDb().select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId))).map((r) => r.status);

describe("webhook deliveries", () => {
  it("a recorded event reaches its owner's endpoint signed as Standard Webhooks: the reference library verifies it", async () => {
    const { endpoint, secret } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["contribution.created", "reward.created"] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    receiver.secrets = [secret];
    const eventId = await record("contribution.created", [pro.id], { contribution_id: "c1", title: "T" });
    const [got] = await until("the delivery", async () => receiver.received.length > 0 && receiver.received);
    await until("the delivery recorded", async () => (await statusesOf(endpoint.id)).includes("succeeded"));
    expect(got!.id).toBe(eventId);
    expect(got!.verified).toMatchObject({ type: "contribution.created", data: { contribution_id: "c1", title: "T" } });
    expect(Math.abs(Number(got!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    // A tampered body fails the same check.
    expect(() => new Webhook(secret).verify(got!.body.replace("T", "X"), { "webhook-id": got!.id, "webhook-timestamp": got!.timestamp, "webhook-signature": got!.signature })).toThrow();
    const [logged] = (await listDeliveries(pro.id, endpoint.id, { limit: 10 })).items;
    expect(logged).toMatchObject({ eventId, eventType: "contribution.created", status: "succeeded", attempts: 1, responseStatus: 200 });
    expect(logged!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("only its owner's events, and only the types chosen; an admin's platform endpoint hears everyone's", async () => {
    const mine = await createEndpoint({ userId: pro.id, url: `${receiver.url}?who=pro`, events: ["contribution.created"] });
    const platform = await createEndpoint({ userId: admin.id, url: `${receiver.url}?who=admin`, events: ["contribution.created"], platform: true });
    receiver.secrets = [];
    await record("contribution.created", [stranger.id], { contribution_id: "theirs" });
    await record("reward.created", [pro.id], { reward_id: "r" });
    await record("contribution.created", [pro.id], { contribution_id: "mine" });
    await until("two deliveries to the platform endpoint", async () => (await statusesOf(platform.endpoint.id)).filter((s) => s === "succeeded").length === 2);
    await until("one delivery to mine", async () => (await statusesOf(mine.endpoint.id)).includes("succeeded"));
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusesOf(mine.endpoint.id)).toEqual(["succeeded"]);
    const types = receiver.received.map((r) => JSON.parse(r.body).data.contribution_id).sort();
    expect(types).toEqual(["mine", "mine", "theirs"]);
    // A non-admin cannot ask for everyone's events; a free account cannot register at all.
    await expect(createEndpoint({ userId: pro.id, url: receiver.url, events: ["contribution.created"], platform: true })).rejects.toThrow(/Only admins/);
    const free = await insertUser(getDb());
    await expect(createEndpoint({ userId: free.id, url: receiver.url, events: ["contribution.created"] })).rejects.toThrow(/paid plan/);
  });

  it("a downgrade to Free pauses the endpoint (no deliveries, not deleted); an upgrade resumes it", async () => {
    const user = await insertUser(getDb());
    await getDb().insert(subscriptions).values({ userId: user.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${user.id}` });
    const { endpoint } = await createEndpoint({ userId: user.id, url: receiver.url, events: ["reward.created"] });
    await getDb().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.userId, user.id));
    expect((await listEndpoints(user.id, { limit: 10 })).items.map((e) => e.status)).toEqual(["paused"]);
    await record("reward.created", [user.id], { reward_id: "while-paused" });
    await new Promise((r) => setTimeout(r, 500));
    expect(await statusesOf(endpoint.id)).toEqual([]);
    await getDb().update(subscriptions).set({ status: "active" }).where(eq(subscriptions.userId, user.id));
    expect((await listEndpoints(user.id, { limit: 10 })).items.map((e) => e.status)).toEqual(["active"]);
    await record("reward.created", [user.id], { reward_id: "after-upgrade" });
    await until("the delivery after the upgrade", async () => receiver.received.some((r) => r.body.includes("after-upgrade")));
    expect(receiver.received.some((r) => r.body.includes("while-paused"))).toBe(false);
  });

  it("deliveries waiting when the owner downgraded go out on the upgrade itself, not only with a next event", async () => {
    const user = await insertUser(getDb());
    await getDb().insert(subscriptions).values({ userId: user.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${user.id}` });
    const { endpoint } = await createEndpoint({ userId: user.id, url: receiver.url, events: ["reward.created"] });
    receiver.mode = "down";
    await record("reward.created", [user.id], { reward_id: "before-downgrade" });
    await until("a failed attempt", async () => (await listDeliveries(user.id, endpoint.id, { limit: 10 })).items[0]?.attempts === 1);
    await getDb().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.userId, user.id));
    receiver.mode = "ok";
    await skipBackoff(endpoint.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.some((r) => r.body.includes("before-downgrade"))).toBe(false);
    expect(await statusesOf(endpoint.id)).toEqual(["pending"]);
    // The upgrade as the Stripe webhook records it; the endpoint does not even take this type.
    await getDb().update(subscriptions).set({ status: "active" }).where(eq(subscriptions.userId, user.id));
    await record("subscription.updated", [user.id], {});
    await until("the waiting delivery", async () => (await statusesOf(endpoint.id)).includes("succeeded"));
    expect(receiver.received.filter((r) => r.body.includes("before-downgrade"))).toHaveLength(1);
  });

  it("a receiver down for a while gets every event once it is back, in order, none lost; repeats carry the same webhook-id", async () => {
    const { endpoint, secret } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["reward.created"] });
    receiver.secrets = [secret];
    receiver.mode = "down";
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await record("reward.created", [pro.id], { reward_id: `r${i}` }));
    await until("a failed attempt", async () => {
      const [e] = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
      return e!.consecutiveFailures >= 1 && e!.retryAt !== null;
    });
    // The endpoint rests (backoff): the later events did not overtake the first.
    const [rest] = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(rest!.retryAt!.getTime()).toBeGreaterThan(Date.now());
    expect(rest!.failingSince).not.toBeNull();
    await skipBackoff(endpoint.id);
    await until("a second failed attempt", async () => (await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)))[0]!.consecutiveFailures >= 2);
    receiver.mode = "ok";
    await skipBackoff(endpoint.id);
    await until("all six delivered", async () => (await statusesOf(endpoint.id)).filter((s) => s === "succeeded").length === 6);
    const firstSeen = [...new Set(receiver.received.map((r) => r.id))];
    expect(firstSeen).toEqual(ids);
    expect(receiver.received.map((r) => JSON.parse(r.body).data.reward_id)).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
    const [healed] = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(healed).toMatchObject({ consecutiveFailures: 0, failingSince: null, status: "active" });
  });

  it("a receiver that hangs is cut off at the timeout; one answering with a 50 MB body is not read past a snippet", async () => {
    const { endpoint } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["vote.revealed"] });
    receiver.secrets = [];
    receiver.mode = "hang";
    await record("vote.revealed", [pro.id], { verification_id: "v1" });
    await until("the timed-out attempt", async () => {
      const [d] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      return d && d.attempts >= 1 && d;
    });
    const [timedOut] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(timedOut!.error).toMatch(/no answer within 800 ms/);
    expect(timedOut!.latencyMs).toBeLessThan(3_000);

    receiver.mode = "huge";
    receiver.hugeBytesWritten = 0;
    await skipBackoff(endpoint.id);
    await until("the delivery to the huge answer", async () => (await statusesOf(endpoint.id)).includes("succeeded"));
    await new Promise((r) => setTimeout(r, 300));
    // The socket was closed after the first bytes: the receiver could not push its 50 MB.
    expect(receiver.hugeBytesWritten).toBeLessThan(16 * 1024 * 1024);
  });

  it("redirects are not followed; a 4xx retries that message alone while the rest go out", async () => {
    const { endpoint } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["payout.failed"] });
    receiver.secrets = [];
    receiver.mode = "redirect";
    await record("payout.failed", [pro.id], { reward_id: "p1" });
    await until("the refused redirect", async () => {
      const [d] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      return d?.error?.includes("redirect: not followed");
    });
    receiver.mode = "bad-request";
    await skipBackoff(endpoint.id);
    await until("the 400", async () => {
      const [d] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      return d?.responseStatus === 400 && d;
    });
    const [rejected] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(rejected).toMatchObject({ status: "pending", attempts: 2 });
    expect(rejected!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // The endpoint itself does not rest for a message's 4xx: the next event goes out at once.
    receiver.mode = "ok";
    await record("payout.failed", [pro.id], { reward_id: "p2" });
    await until("the next event", async () => receiver.received.some((r) => r.body.includes("p2")));
  });

  it("after a rotation both secrets sign for a day; then only the new one", async () => {
    const { endpoint, secret: oldSecret } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["appeal.decided"] });
    const { secret: newSecret } = await rotateSecret(pro.id, endpoint.id);
    expect(newSecret).not.toBe(oldSecret);
    receiver.secrets = [newSecret, oldSecret];
    await record("appeal.decided", [pro.id], { appeal_id: "a1" });
    const [got] = await until("the delivery", async () => receiver.received.length > 0 && receiver.received);
    expect(got!.signature.split(" ")).toHaveLength(2);
    // A run holds the endpoint as it read it; the next run reads the expiry below.
    await until("the run released", async () => (await getDb().$count(jobs, sql`${jobs.kind} = ${WEBHOOK_DRAIN_JOB.name} AND ${jobs.status} = 'running'`)) === 0);
    await getDb().update(webhookEndpoints).set({ previousSecretExpiresAt: sql`now() - interval '1 second'` }).where(eq(webhookEndpoints.id, endpoint.id));
    receiver.secrets = [newSecret];
    await record("appeal.decided", [pro.id], { appeal_id: "a2" });
    await until("the second delivery", async () => receiver.received.length > 1);
    const second = receiver.received[1]!;
    expect(second.signature.split(" ")).toHaveLength(1);
    expect(() => new Webhook(oldSecret).verify(second.body, { "webhook-id": second.id, "webhook-timestamp": second.timestamp, "webhook-signature": second.signature })).toThrow();
  });

  it("24 h of failures disable the endpoint and tell its owner; events wait 72 h and go out when it is switched back on", async () => {
    const { endpoint, secret } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["reward.distributed"] });
    receiver.secrets = [secret];
    receiver.mode = "down";
    await getDb().update(webhookEndpoints).set({ failingSince: sql`now() - interval '25 hours'`, consecutiveFailures: 30 }).where(eq(webhookEndpoints.id, endpoint.id));
    await record("reward.distributed", [pro.id], { reward_id: "d1" });
    await until("the endpoint disabled", async () => (await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)))[0]!.status === "disabled");
    const told = await getDb().execute(sql`SELECT data FROM events WHERE type = 'webhook.disabled' AND ${pro.id}::uuid = ANY(audience)`);
    expect(JSON.stringify(told)).toContain(endpoint.id);
    // While disabled, events still queue in the outbox (and one is already too old to deliver).
    await record("reward.distributed", [pro.id], { reward_id: "d2" });
    const old = await record("reward.distributed", [pro.id], { reward_id: "ancient" });
    await until("the deliveries queued", async () => (await statusesOf(endpoint.id)).length === 3);
    await getDb().update(webhookDeliveries).set({ createdAt: sql`now() - interval '73 hours'` }).where(eq(webhookDeliveries.eventId, old));
    receiver.mode = "ok";
    expect((await enableEndpoint(pro.id, endpoint.id)).status).toBe("active");
    await until("d1 and d2 delivered", async () => (await statusesOf(endpoint.id)).filter((s) => s === "succeeded").length === 2);
    expect(receiver.received.map((r) => JSON.parse(r.body).data.reward_id)).toEqual(["d1", "d2"]);
    expect((await statusesOf(endpoint.id)).sort()).toEqual(["expired", "succeeded", "succeeded"]);
  });

  it("send again delivers the same message (same webhook-id) once more", async () => {
    const { endpoint, secret } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["subscription.updated"] });
    receiver.secrets = [secret];
    const eventId = await record("subscription.updated", [pro.id], { plan: "pro" });
    await until("the delivery recorded", async () => (await statusesOf(endpoint.id)).includes("succeeded"));
    const [delivery] = (await listDeliveries(pro.id, endpoint.id, { limit: 10 })).items;
    await expect(resendDelivery(stranger.id, endpoint.id, delivery!.id)).rejects.toThrow(/No webhook endpoint/);
    await resendDelivery(pro.id, endpoint.id, delivery!.id);
    await until("the second delivery recorded", async () => (await listDeliveries(pro.id, endpoint.id, { limit: 10 })).items[0]!.attempts === 2);
    expect(receiver.received.map((r) => r.id)).toEqual([eventId, eventId]);
    expect((await listDeliveries(pro.id, endpoint.id, { limit: 10 })).items[0]).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("retention: an undelivered event past 72 h expires, a finished delivery leaves the log after 30 days", async () => {
    const { endpoint } = await createEndpoint({ userId: pro.id, url: receiver.url, events: ["reward.created"] });
    receiver.secrets = [];
    await getDb().update(webhookEndpoints).set({ status: "disabled" }).where(eq(webhookEndpoints.id, endpoint.id));
    const stale = await record("reward.created", [pro.id], { reward_id: "stale" });
    const old = await record("reward.created", [pro.id], { reward_id: "old" });
    await until("both queued", async () => (await statusesOf(endpoint.id)).length === 2);
    await getDb().update(webhookDeliveries).set({ createdAt: sql`now() - interval '73 hours'` }).where(eq(webhookDeliveries.eventId, stale));
    await getDb().update(webhookDeliveries).set({ status: "succeeded", createdAt: sql`now() - interval '31 days'` }).where(eq(webhookDeliveries.eventId, old));
    expect(await applyWebhookRetention()).toEqual({ expired: 1, removed: 1 });
    expect(await statusesOf(endpoint.id)).toEqual(["expired"]);
  });

  it("deliveries run on their own worker: the main worker does not take them", () => {
    expect(Object.keys(JOB_HANDLERS)).not.toContain(WEBHOOK_DRAIN_JOB.name);
    expect(Object.keys(WEBHOOK_HANDLERS)).toEqual([WEBHOOK_DRAIN_JOB.name]);
  });
});

describe("webhook targets (WEBHOOK_ALLOW_PRIVATE off)", () => {
  beforeAll(() => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "off";
    resetEnvCache();
  });
  afterAll(() => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "on";
    resetEnvCache();
  });

  it.each([
    ["http://example.com/hook", /must use https/],
    ["https://127.0.0.1/hook", /private/],
    ["https://10.1.2.3/hook", /private/],
    ["https://169.254.169.254/latest/meta-data", /private/],
    ["https://[::1]/hook", /private/],
    ["https://[::ffff:127.0.0.1]/hook", /private/],
    ["https://[fd00::1]/hook", /private/],
    ["https://localhost/hook", /private/],
    ["https://user:pw@example.com/hook", /user name/],
    ["not a url", /absolute URL/],
  ])("refuses %s at registration", async (url, message) => {
    await expect(createEndpoint({ userId: pro.id, url, events: ["contribution.created"] })).rejects.toThrow(message);
  });

  it("checks the address again at delivery: a URL that now resolves to a private address is not sent to", async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "on";
    resetEnvCache();
    const { endpoint } = await createEndpoint({ userId: pro.id, url: receiver.url.replace("127.0.0.1", "localhost"), events: ["contribution.created"] });
    process.env.WEBHOOK_ALLOW_PRIVATE = "off";
    resetEnvCache();
    await record("contribution.created", [pro.id], { contribution_id: "rebound" });
    const failed = await until("the refused attempt", async () => {
      const [d] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      return d && d.attempts >= 1 && d;
    });
    expect(failed.error).toMatch(/resolves to (127\.0\.0\.1|::1), a private or reserved address/);
    expect(receiver.received).toEqual([]);
  });
});
