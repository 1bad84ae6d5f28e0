import { z } from "zod";

import { fileType as fileTypeEnum } from "@/db/schema";
import { DESCRIPTION_MAX, METADATA_MAX_BYTES, TITLE_MAX } from "@/db/vocabulary";

/** The text fields of an upload (multipart); the file part is streamed separately. */
export const uploadFields = z.object({
  title: z.string().trim().min(1, "Title is required").max(TITLE_MAX, `Title is at most ${TITLE_MAX} characters`),
  description: z.string().max(DESCRIPTION_MAX, `Description is at most ${DESCRIPTION_MAX.toLocaleString("en-US")} characters`).default(""),
  file_type: z.enum(fileTypeEnum.enumValues, { error: "file_type must be code, dataset or document" }),
  metadata: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return {};
      if (Buffer.byteLength(raw) > METADATA_MAX_BYTES) {
        ctx.addIssue({ code: "custom", message: `metadata is at most ${METADATA_MAX_BYTES / 1024} KB` });
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

