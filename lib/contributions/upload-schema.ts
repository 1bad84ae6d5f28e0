import { z } from "zod";

import { fileType as fileTypeEnum } from "@/db/schema";

export const METADATA_MAX_BYTES = 10 * 1024;

/** The text fields of an upload (multipart); the file part is streamed separately. */
export const uploadFields = z.object({
  title: z.string().trim().min(1, "Title is required").max(200, "Title is at most 200 characters"),
  description: z.string().max(5000, "Description is at most 5,000 characters").default(""),
  file_type: z.enum(fileTypeEnum.enumValues, { error: "file_type must be code, dataset or document" }),
  metadata: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return {};
      if (Buffer.byteLength(raw) > METADATA_MAX_BYTES) {
        ctx.addIssue({ code: "custom", message: "metadata is at most 10 KB" });
        return z.NEVER;
      }
      try {
        const value: unknown = JSON.parse(raw);
        if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: "custom", message: "metadata must be a JSON object" });
      return z.NEVER;
    }),
});

