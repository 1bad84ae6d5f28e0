import "server-only";

import { z } from "zod";

import { jobKind } from "@/lib/jobs/kind";

/** Sends an endpoint's due deliveries in order; run by the webhook worker (WEBHOOK_CONCURRENCY), apart from the main one. */
export const WEBHOOK_DRAIN_JOB = jobKind("webhook-drain", z.object({ endpointId: z.uuid() }));
