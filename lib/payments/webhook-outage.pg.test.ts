import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDb, getDb, getDbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { payments, stripeEvents, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createPostgresDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, stripeEvent } from "@/test/stripe";
import { deliverWebhook } from "@/test/stripe-webhook";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";

// PostgreSQL only: the app reaches the database through a proxy the test cuts, like an outage.
let proxy: TcpProxy;
let drop: () => Promise<void>;

beforeAll(async () => {
  const created = await createPostgresDatabase();
  drop = created.drop;
  const target = new URL(created.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.hostname = "127.0.0.1";
  target.port = String(proxy.port);
  Object.assign(process.env, { DATABASE_URL: target.toString(), STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  resetEnvCache();
  await migrateDatabase(getDbHandle());
});

afterAll(async () => {
  await closeDb();
  await proxy.close();
  await drop();
  for (const k of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) delete process.env[k];
  resetEnvCache();
});

describe("Stripe webhook while the database is down", () => {
  it("answers 5xx so Stripe retries, and the retry once the database is back applies the event once", async () => {
    const user = await insertUser(getDb());
    await getDb().update(users).set({ stripeCustomerId: "cus_outage" }).where(eq(users.id, user.id));
    const event = stripeEvent("invoice.paid", { id: "in_outage", object: "invoice", customer: "cus_outage", amount_paid: 4200, amount_due: 4200, currency: "usd", metadata: {} });

    proxy.down();
    const during = await deliverWebhook(event);
    expect(during.status).toBe(503);
    proxy.up();

    expect((await (await deliverWebhook(event)).json()).result).toBe("applied");
    expect((await (await deliverWebhook(event)).json()).result).toBe("duplicate");
    expect(await getDb().select({ amount: payments.amountCents }).from(payments).where(eq(payments.stripePaymentId, "in_outage"))).toEqual([{ amount: 4200 }]);
    expect(await getDb().$count(stripeEvents, eq(stripeEvents.id, event.id))).toBe(1);
  });
});
