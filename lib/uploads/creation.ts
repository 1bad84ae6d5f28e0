import "server-only";

import { getEnv } from "@/lib/config/env";
import { cleanFileName } from "@/lib/contributions/upload";
import { uploadFields } from "@/lib/contributions/upload-schema";
import { PayloadTooLargeError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { mediaTypeFromName } from "@/lib/formats/by-name";
import { acceptedFormats, acceptsMediaType, formatName } from "@/lib/formats/sniff";
import { formatBytes } from "@/lib/format";

/** Upload-Metadata keys that carry the contribution's fields (tus clients send the name as `filename`). */
const FIELD_KEYS = ["title", "description", "file_type", "metadata"] as const;

export interface UploadCreation {
  fileName: string;
  sizeBytes: number;
  fields: Record<string, string>;
}

/**
 * What a tus creation request asks for, checked before a byte is sent: the contribution's fields
 * (400 with field errors, the same rules as the multipart upload), a declared length within the cap
 * (413), and a file name whose extension the chosen type accepts. The bytes are checked again once
 * they are all in.
 */
export function checkUploadCreation(length: number | undefined, metadata: Readonly<Record<string, string | null | undefined>>): UploadCreation {
  const max = getEnv().MAX_UPLOAD_BYTES;
  if (length !== undefined && length > max) throw new PayloadTooLargeError(`File exceeds the ${formatBytes(max)} upload limit`);
  const fields: Record<string, string> = {};
  for (const key of FIELD_KEYS) if (typeof metadata[key] === "string") fields[key] = metadata[key];
  const fileName = cleanFileName(metadata.filename ?? undefined);
  const parsed = uploadFields.safeParse(fields);
  const errors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
  if (length === undefined) errors.file = ["Upload-Length is required: the size must be known when the upload is created"];
  else if (length === 0) errors.file = ["The file is empty (0 bytes)"];
  const byName = mediaTypeFromName(fileName);
  if (parsed.success && byName && !acceptsMediaType(parsed.data.file_type, byName)) {
    errors.file_type = [`A ${formatName(byName)} file (${byName}) is not accepted as ${parsed.data.file_type} (accepted: ${acceptedFormats(parsed.data.file_type)})`];
  }
  if (Object.keys(errors).length > 0) throw new ValidationError("Please correct the highlighted fields", errors);
  return { fileName, sizeBytes: length!, fields };
}
