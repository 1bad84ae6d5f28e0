/** Signed deliveries posted to the real webhook route, and Stripe's own example objects to build them from. */
import { readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll } from "vitest";

import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { resetEnvCache } from "@/lib/config/env";
import { TEST_ORIGIN } from "@/test/siwe";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, signedDelivery } from "@/test/stripe";

const STRIPE_ENV = { STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_PRICE_PRO: "price_pro", STRIPE_PRICE_ENTERPRISE: "price_ent" };

/** Payments configured for this test file (the webhook secret the deliveries are signed with), removed afterwards. */
export function withStripeTestEnv(): void {
  beforeAll(() => {
    Object.assign(process.env, STRIPE_ENV);
    resetEnvCache();
    return () => {
      for (const k of Object.keys(STRIPE_ENV)) delete process.env[k];
      resetEnvCache();
    };
  });
}

/** Posts a signed delivery to the real route handler. */
export function deliverWebhook(event: object | string, options: { tamper?: boolean; timestamp?: number; secret?: string } = {}) {
  const { payload, header } = signedDelivery(event, options);
  return webhookRoute(
    new Request(`${TEST_ORIGIN}/api/stripe/webhook`, {
      method: "POST",
      headers: { "stripe-signature": header, "content-type": "application/json" },
      body: options.tamper ? payload.replace('"livemode":false', '"livemode":true') : payload,
    }),
    undefined,
  );
}

/** Stripe's example objects (stripe/openapi `openapi/fixtures3.json`, see test/fixtures/stripe/NOTICE). */
const FIXTURES = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/stripe/fixtures3.json"), "utf8")) as { resources: Record<string, Record<string, unknown>> };

/** A fresh copy of `resources.<name>`, with top-level fields replaced by `overrides`. */
export function stripeFixture(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const resource = FIXTURES.resources[name];
  if (!resource) throw new Error(`no Stripe fixture named ${name}`);
  return { ...structuredClone(resource), ...overrides };
}
