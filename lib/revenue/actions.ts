"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { closablePeriod, closeRevenuePeriod } from "./close";

/** Admin only: close a past month's revenue share now (the monthly job does it an hour after each month ends). */
export const closeRevenuePeriodAction = validatedAction(z.object({ period: z.string().max(10) }), { role: "admin" }, async ({ period }, { user }) => {
  const closed = await closeRevenuePeriod(closablePeriod(period), user.userId);
  revalidatePath("/admin");
  return closed;
});
