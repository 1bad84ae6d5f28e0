/**
 * The parts of Stripe's webhook events that the webhook reads, as zod schemas: one per object type
 * it acts on, with only the fields it uses (Stripe adds fields freely; unknown ones are dropped). A
 * well-signed event that does not fit is recorded `ignored` with the issue as its reason, instead of
 * failing on a missing field halfway through and answering 5xx (which Stripe retries for days).
 */
import { z } from "zod";

import { subscriptionStatus } from "@/db/schema";

// PostgreSQL text cannot hold NUL.
const noNul = { error: "must not contain NUL" };
const plain = z.string().refine((s) => !s.includes("\0"), noNul);
/** Ids, types, currencies: short, since some go into btree indexes (Stripe's are far shorter). */
const text = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !s.includes("\0"), noNul);

/** An expandable reference: the id, or the expanded object that carries it. */
export const stripeRef = z.union([text, z.object({ id: text }).transform((o) => o.id)]);
const metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});
/** Unix seconds that JavaScript dates and PostgreSQL timestamps can both hold. */
const seconds = z.number().int().min(0).max(253_402_300_799);
const epoch = seconds.nullish();
/** Our money columns are PostgreSQL integers. */
const cents = z.number().int().min(0).max(2_147_483_647);

/** What every delivery must carry to be recorded at all. */
export const eventHead = z.object({ id: text, type: text });

/** The rest of the envelope, needed to act on it. */
export const eventBody = z.object({
  created: seconds,
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

export const checkoutSession = z.object({
  id: text,
  mode: z.string(),
  customer: stripeRef.nullish(),
  subscription: stripeRef.nullish(),
  client_reference_id: z.string().nullish(),
  payment_status: z.string().nullish(),
  metadata,
});

export const subscription = z.object({
  id: text,
  customer: stripeRef,
  status: z.enum(subscriptionStatus.enumValues),
  cancel_at_period_end: z.boolean().nullish(),
  canceled_at: epoch,
  metadata,
  items: z
    .object({
      data: z.array(z.object({ price: z.object({ id: text }).nullish(), current_period_start: epoch, current_period_end: epoch })),
    })
    .nullish(),
  // Where API versions before 2025-03-31 put the period.
  current_period_start: epoch,
  current_period_end: epoch,
});

export const invoice = z.object({
  id: text,
  customer: stripeRef.nullish(),
  amount_paid: cents,
  amount_due: cents,
  currency: text,
  number: plain.nullish(),
  description: plain.nullish(),
  status_transitions: z.object({ paid_at: epoch }).nullish(),
  metadata,
  parent: z.object({ subscription_details: z.object({ subscription: stripeRef.nullish() }).nullish() }).nullish(),
  subscription: stripeRef.nullish(), // before API 2025-03-31
});

export const paymentIntent = z.object({
  id: text,
  customer: stripeRef.nullish(),
  amount: cents,
  amount_received: cents.nullish(),
  currency: text,
  created: seconds,
  description: plain.nullish(),
  metadata,
});

export const charge = z.object({
  id: text,
  payment_intent: stripeRef.nullish(),
  invoice: stripeRef.nullish(), // before API 2025-03-31
  amount_refunded: cents,
  refunded: z.boolean(),
});

export type CheckoutSession = z.output<typeof checkoutSession>;
export type Subscription = z.output<typeof subscription>;
export type Invoice = z.output<typeof invoice>;
export type PaymentIntent = z.output<typeof paymentIntent>;
export type Charge = z.output<typeof charge>;

/** A zod failure as one line: `data.object.amount_paid: Invalid input: expected number, received null`. */
export function describeIssues(issues: z.ZodError["issues"], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 3)
    .map((i) => `${[...prefix, ...i.path].map(String).join(".") || "(event)"}: ${i.message}`)
    .join("; ")
    .slice(0, 500);
}

/** The object's id and customer, for the record, read from whatever the event carried. */
export function refsOf(payload: unknown): { objectId: string | null; customerId: string | null } {
  const object = (payload as { data?: { object?: unknown } } | null)?.data?.object;
  if (!object || typeof object !== "object") return { objectId: null, customerId: null };
  const { id, customer } = object as { id?: unknown; customer?: unknown };
  const objectId = text.safeParse(id);
  const customerId = stripeRef.safeParse(customer);
  return { objectId: objectId.success ? objectId.data : null, customerId: customerId.success ? customerId.data : null };
}
