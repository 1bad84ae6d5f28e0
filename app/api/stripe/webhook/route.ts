import { route } from "@/lib/http/route";
import { getStripe } from "@/lib/payments/stripe";
import { applyStripeEvent, verifyStripeEvent } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

/**
 * Stripe webhooks: signature checked on the raw body (400 otherwise), each event applied exactly
 * once, unknown types acknowledged; a failure answers 500 so Stripe retries.
 */
export const POST = route(async (request) => {
  const raw = await request.text();
  const event = verifyStripeEvent(getStripe(), raw, request.headers.get("stripe-signature"));
  const result = await applyStripeEvent(event);
  return Response.json({ received: true, result });
});
