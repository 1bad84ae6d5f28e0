import { route } from "@/lib/http/route";
import { getStripe } from "@/lib/payments/stripe";
import { applyStripeEvent, verifyStripeEvent } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

/**
 * Stripe webhooks: signature checked on the raw body (400 otherwise), each event applied exactly
 * once. Every well-signed event is acknowledged with 200, also one we cannot attribute (`unmatched`)
 * or use (`ignored`, with the reason), since Stripe retries anything else for three days; only a
 * fault on our side answers 5xx, so that Stripe's retry applies the event then.
 */
export const POST = route(async (request) => {
  const raw = await request.text();
  const event = verifyStripeEvent(getStripe(), raw, request.headers.get("stripe-signature"));
  return Response.json({ received: true, ...(await applyStripeEvent(event)) });
});
