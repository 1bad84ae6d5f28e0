import { sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";

import { UnappliedStripeEvents } from "@/components/admin/stripe-events";
import { queryRows } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, stripeEvent } from "@/test/stripe";
import { deliverWebhook, stripeFixture } from "@/test/stripe-webhook";

import { listUnappliedStripeEvents } from "./events";

const testDb = setupTestDatabase();

beforeAll(async () => {
  Object.assign(process.env, { STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  resetEnvCache();
  // Through the webhook itself: five invoices for a customer we never created (unmatched), one malformed (ignored).
  for (let i = 0; i < 5; i++) expect((await deliverWebhook(stripeEvent("invoice.paid", stripeFixture("invoice", { id: `in_u${i}` }), { id: `evt_u${i}` }))).status).toBe(200);
  expect((await deliverWebhook(stripeEvent("invoice.paid", stripeFixture("invoice", { id: "in_bad", amount_paid: null }), { id: "evt_bad" }))).status).toBe(200);
  // One the webhook did apply, which the list must leave out.
  await testDb.handle.db.insert(stripeEvents).values({ id: "evt_applied", type: "invoice.paid", status: "processed" });
  return () => {
    for (const k of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) delete process.env[k];
    resetEnvCache();
  };
});

describe("Stripe events not applied, for admins", () => {
  it("pages through unmatched and ignored events newest first, each exactly once, leaving applied ones out", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listUnappliedStripeEvents({ cursor, limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const all = await testDb.handle.db.select({ id: stripeEvents.id, at: stripeEvents.processedAt }).from(stripeEvents);
    const expected = all
      .filter((e) => e.id !== "evt_applied")
      .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(6);
    const [first] = (await listUnappliedStripeEvents({ limit: 100 })).items.filter((e) => e.id === "evt_bad");
    expect(first).toMatchObject({ type: "invoice.paid", status: "ignored", objectId: "in_bad", customerId: "cus_QXg1o8vcGmoR32", reason: expect.stringContaining("amount_paid") });
  });

  it("an unknown or junk cursor is an empty page, not an error", async () => {
    for (const cursor of ["evt_nope", "'; DROP TABLE stripe_events; --", "\u00e9\u{1F600}"]) expect(await listUnappliedStripeEvents({ cursor, limit: 20 })).toEqual({ items: [], nextCursor: null });
  });

  it("the list can be served by the partial index", async () => {
    const plan = await testDb.handle.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`); // a handful of rows: make the planner show what it could use
      return queryRows<{ "QUERY PLAN": string }>(tx, sql`EXPLAIN SELECT id FROM stripe_events WHERE status <> 'processed' ORDER BY processed_at DESC, id DESC LIMIT 21`);
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("stripe_events_unapplied_idx");
  });

  it("renders the rows with their reason, 20 to a page, with a link to older events", async () => {
    const html = renderToStaticMarkup(await UnappliedStripeEvents({}));
    expect(html).toContain("Stripe events not applied");
    expect(html).toContain('data-event-id="evt_bad"');
    expect(html).toContain("data.object.amount_paid: Invalid input: expected number, received null");
    expect(html).toContain("not one of our customers or payments");
    expect(html).not.toContain("evt_applied");
    expect(html).not.toContain("Older Stripe events");
    expect(renderToStaticMarkup(await UnappliedStripeEvents({ cursor: "evt_nope" }))).toContain("No older Stripe events.");

    await testDb.handle.db.insert(stripeEvents).values(Array.from({ length: 20 }, (_, i) => ({ id: `evt_more_${String(i).padStart(2, "0")}`, type: "customer.created", status: "ignored" as const })));
    const full = renderToStaticMarkup(await UnappliedStripeEvents({}));
    expect(full.match(/data-event-id=/g)).toHaveLength(20);
    const last = (await listUnappliedStripeEvents({ limit: 20 })).items[19]!.id;
    expect(full).toContain(`href="/admin?stripe_events_cursor=${last}"`);
    expect(renderToStaticMarkup(await UnappliedStripeEvents({ cursor: last })).match(/data-event-id=/g)).toHaveLength(6);
  });
});
