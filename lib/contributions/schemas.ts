import { z } from "zod";

import { contributionStatus, fileType } from "@/db/schema";
import { limitSchema } from "@/lib/pagination";
import { walletAddress } from "@/lib/address";

/** Query of GET /api/v1/contributions (also the /contributions page's URL filters). */
export const listQuery = z.object({
  status: z.enum(contributionStatus.enumValues, { error: `status must be one of ${contributionStatus.enumValues.join(", ")}` }).optional(),
  type: z.enum(fileType.enumValues, { error: `type must be one of ${fileType.enumValues.join(", ")}` }).optional(),
  owner: walletAddress("owner must be a wallet address").optional(),
  q: z.string().trim().min(1).max(200, "q is at most 200 characters").describe("Title search: a substring, or a word spelt nearly right (`fibonaci` finds `Fibonacci`)").optional(),
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});

export const idParam = z.string().uuid({ error: "Not a contribution id" });
