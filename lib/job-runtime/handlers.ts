import "server-only";

import { getDb } from "@/db/client";
import type { JobHandler } from "@/lib/jobs/worker";
import { confirmEmailJob, notificationEmailJob } from "@/lib/notifications/email";
import { notifyFor } from "@/lib/notifications/fan-out";
import { METER_REPORT_JOB, meterReportJob } from "@/lib/payments/meter-report";
import { CONFIRM_EMAIL_JOB, NOTIFICATION_EMAIL_JOB } from "@/lib/notifications/jobs";
import { EVENT_FANOUT_JOB } from "@/lib/outbox/record";
import { PREVIEW_JOB, previewContributionJob } from "@/lib/previews/stored";
import { REVENUE_SHARE_JOB, revenueShareCloseJob } from "@/lib/revenue/close-job";
import { PAYOUT_JOB, payoutBatchJob } from "@/lib/rewards/payout";
import { UPLOAD_EXPIRY_JOB } from "@/lib/uploads/expiry-job";
import { uploadExpiryJob } from "@/lib/uploads/expiry";
import { CALIBRATION_JOB, calibrationBatchJob } from "@/lib/verification/calibration";
import { VERIFY_JOB } from "@/lib/verification/jobs";
import { verifyContributionJob } from "@/lib/verification/verify-job";
import { WEBHOOK_DRAIN_JOB } from "@/lib/webhooks/drain-job";
import { webhookDrainJob } from "@/lib/webhooks/drain";
import { fanOutToEndpoints } from "@/lib/webhooks/fan-out";
import { WEBHOOK_RETENTION_JOB, webhookRetentionJob } from "@/lib/webhooks/retention";

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
  [WEBHOOK_RETENTION_JOB.name]: webhookRetentionJob,
  [METER_REPORT_JOB.name]: meterReportJob,
  [REVENUE_SHARE_JOB.name]: revenueShareCloseJob,
  // Recorded events become webhook deliveries and inbox entries, together or not at all (a rerun adds nothing).
  [EVENT_FANOUT_JOB.name]: EVENT_FANOUT_JOB.handler(({ eventIds }) =>
    getDb().transaction(async (tx) => {
      await fanOutToEndpoints(tx, eventIds);
      await notifyFor(tx, eventIds);
    }),
  ),
  // Mails go out after the fan-out committed, one job each (deduplicated), retried with the queue's backoff.
  [NOTIFICATION_EMAIL_JOB.name]: notificationEmailJob,
  [CONFIRM_EMAIL_JOB.name]: confirmEmailJob,
};

/** Webhook deliveries: their own worker and concurrency (WEBHOOK_CONCURRENCY), so slow receivers never hold the jobs above. */
export const WEBHOOK_HANDLERS: Record<string, JobHandler> = {
  [WEBHOOK_DRAIN_JOB.name]: webhookDrainJob,
};
