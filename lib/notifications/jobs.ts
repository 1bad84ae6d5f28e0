import "server-only";

import { z } from "zod";

import { jobKind } from "@/lib/jobs/kind";

import { NOTIFICATION_KINDS } from "./kinds";

/**
 * One notification's mail, enqueued by the fan-out (in its transaction; sent after it, by the
 * worker), deduplicated per user and event. It carries what to say: sending reads only the address.
 */
export const NOTIFICATION_EMAIL_JOB = jobKind(
  "notification-email",
  z.object({
    userId: z.uuid(),
    eventId: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    reasons: z.array(z.object({ score: z.number(), by: z.string(), reasoning: z.string() })),
  }),
);

/** The confirmation mail of an address just added: its token is made by the job and lives only in the mail (the row keeps its hash). */
export const CONFIRM_EMAIL_JOB = jobKind("notification-email-confirm", z.object({ emailId: z.uuid(), address: z.string() }));
