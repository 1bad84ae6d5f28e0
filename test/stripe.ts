/**
 * Signed Stripe webhook deliveries for tests, made with the real SDK. Also used by the e2e run and
 * the benchmarks, so it imports nothing of the app (test/stripe-webhook.ts posts to the route).
 */
import Stripe from "stripe";

export const TEST_STRIPE_KEY = "sk_test_nwu_local_0000000000";
export const TEST_WEBHOOK_SECRET = "whsec_nwu_local_test_secret";

const sdk = new Stripe(TEST_STRIPE_KEY);
let counter = 0;

export function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number } = {}) {
  return {
    id: options.id ?? `evt_test_${Date.now()}_${counter++}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** Signs an event (or a raw body, sent as it is) the way Stripe does. */
export function signedDelivery(event: object | string, options: { secret?: string; timestamp?: number } = {}) {
  const payload = typeof event === "string" ? event : JSON.stringify(event);
  const header = sdk.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? TEST_WEBHOOK_SECRET, timestamp: options.timestamp });
  return { payload, header };
}
