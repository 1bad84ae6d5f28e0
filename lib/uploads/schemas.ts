import { z } from "zod";

import { limitSchema } from "@/lib/pagination";

/** Query of GET /api/v1/uploads. */
export const uploadListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});
