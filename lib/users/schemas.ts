import { z } from "zod";

import { contributionStatus, fileType, rewardStatus } from "@/db/schema";
import { BadRequestError } from "@/lib/errors";
import { limitSchema } from "@/lib/pagination";
import { ADDRESS_PATTERN } from "@/lib/address";

export function addressParam(raw: string): string {
  if (!ADDRESS_PATTERN.test(raw)) throw new BadRequestError("Not a wallet address (0x followed by 40 hex digits)");
  return raw;
}

export const rewardsQuery = z.object({
  status: z.enum(rewardStatus.enumValues, { error: `status must be one of ${rewardStatus.enumValues.join(", ")}` }).optional(),
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});

export const userContributionsQuery = z.object({
  status: z.enum(contributionStatus.enumValues, { error: `status must be one of ${contributionStatus.enumValues.join(", ")}` }).optional(),
  type: z.enum(fileType.enumValues, { error: `type must be one of ${fileType.enumValues.join(", ")}` }).optional(),
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});
