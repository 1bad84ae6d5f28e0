import { z } from "zod";

import { limitSchema } from "@/lib/pagination";

/** Query of GET /api/v1/uploads. */
export const uploadListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});

/** An unfinished upload as GET /api/v1/uploads lists it. */
export const unfinishedUploadSchema = z.object({
  id: z.uuid(),
  url: z.string().describe("The upload's tus URL (HEAD it for the offset, PATCH the rest, DELETE to cancel)"),
  filename: z.string(),
  title: z.string(),
  file_type: z.string(),
  size: z.number().int().describe("Upload-Length, declared at creation"),
  offset: z.number().int().describe("Bytes the server holds: where the upload resumes"),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().describe("When the unfinished upload is removed"),
});
