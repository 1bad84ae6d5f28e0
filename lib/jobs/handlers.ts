import "server-only";

import { VERIFY_JOB } from "@/lib/contributions/create";
import { PAYOUT_JOB, payoutBatchJob } from "@/lib/rewards/payout";
import { verifyContributionJob } from "@/lib/verification/verify-job";

import type { JobHandler } from "./worker";

/** Every kind of background job and what runs it. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  [VERIFY_JOB]: verifyContributionJob,
  [PAYOUT_JOB]: payoutBatchJob,
};
