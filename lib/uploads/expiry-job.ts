import "server-only";

import { z } from "zod";

import { jobKind } from "@/lib/jobs/kind";

/**
 * One job per resumable upload, due when it expires (queued with its row): it removes whatever is
 * left of it, the partial bytes of an unfinished one and the row of any (lib/uploads/expiry.ts).
 */
export const UPLOAD_EXPIRY_JOB = jobKind("upload-expiry", z.object({ uploadId: z.uuid() }));
