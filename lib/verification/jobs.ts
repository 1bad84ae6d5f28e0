import "server-only";

import { z } from "zod";

import { jobKind } from "@/lib/jobs/kind";

/** The AI agent's vote on a contribution: queued with the contribution, and again when a hold ends. */
export const VERIFY_JOB = jobKind("verify-contribution", z.object({ contributionId: z.string().uuid() }));
