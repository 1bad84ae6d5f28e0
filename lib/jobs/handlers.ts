import "server-only";

import { VERIFY_JOB } from "@/lib/contributions/create";
import { verifyContributionJob } from "@/lib/verification/verify-job";

import type { JobHandler } from "./worker";

/** Every kind of background job and what runs it. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  [VERIFY_JOB]: verifyContributionJob,
};
