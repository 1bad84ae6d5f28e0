import "server-only";

import type { JobHandler } from "@/lib/jobs/worker";
import { PREVIEW_JOB, previewContributionJob } from "@/lib/previews/stored";
import { PAYOUT_JOB, payoutBatchJob } from "@/lib/rewards/payout";
import { UPLOAD_EXPIRY_JOB } from "@/lib/uploads/expiry-job";
import { uploadExpiryJob } from "@/lib/uploads/expiry";
import { CALIBRATION_JOB, calibrationBatchJob } from "@/lib/verification/calibration";
import { VERIFY_JOB } from "@/lib/verification/jobs";
import { verifyContributionJob } from "@/lib/verification/verify-job";

/**
 * Every kind of background job and what runs it. This registry sits above the domains (lib/jobs is
 * the queue they all enqueue on, so it cannot know their handlers without a cycle); nothing in lib/
 * imports lib/job-runtime — instrumentation.ts and scripts/worker.ts start it.
 */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  [VERIFY_JOB.name]: verifyContributionJob,
  [PAYOUT_JOB.name]: payoutBatchJob,
  [CALIBRATION_JOB.name]: calibrationBatchJob,
  [PREVIEW_JOB.name]: previewContributionJob,
  [UPLOAD_EXPIRY_JOB.name]: uploadExpiryJob,
};
