"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";
import { serverOrigin } from "@/lib/http/server-origin";

import { cancelAtPeriodEnd, createOneTimePayment, openPortal, startCheckout } from "./billing";
import { PAID_PLANS } from "./plans";

/** Signed in: a Checkout Session for a paid plan (priced on the server); returns its URL. */
export const startCheckoutAction = validatedAction(z.object({ plan: z.enum(PAID_PLANS, { error: `Choose ${PAID_PLANS.join(" or ")}` }) }), {}, async ({ plan }, { user }) => ({
  url: await startCheckout({ userId: user.userId, address: user.address }, plan, await serverOrigin()),
}));

/** Signed in: the Stripe Billing Portal for this user's customer; returns its URL. */
export const openPortalAction = validatedAction(z.object({}), {}, async (_input, { user }) => ({
  url: await openPortal({ userId: user.userId, address: user.address }, await serverOrigin()),
}));

/** Owner only: cancel a paid subscription at the end of its period. */
export const cancelSubscriptionAction = validatedAction(z.object({ subscriptionId: z.string().uuid() }), {}, async ({ subscriptionId }, { user }) => {
  await cancelAtPeriodEnd({ userId: user.userId, subscriptionId });
  revalidatePath("/billing");
  return { cancelAtPeriodEnd: true };
});

/** Signed in: a one-time payment (e.g. API credits) through a PaymentIntent; returns its client secret. */
export const createPaymentAction = validatedAction(
  z.object({ amountCents: z.coerce.number().int().min(100, "At least $1").max(1_000_000, "At most $10,000"), description: z.string().trim().min(1).max(200).default("API credits") }),
  {},
  async ({ amountCents, description }, { user }) => createOneTimePayment({ userId: user.userId, address: user.address }, amountCents, description),
);
