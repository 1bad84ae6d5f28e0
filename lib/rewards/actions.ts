"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { createPayoutBatch, retryPayoutBatch } from "./payout";

/** Admin only: "Pay pending rewards" — the oldest pending rewards become one payout batch, paid on chain by a job. */
export const payPendingRewardsAction = validatedAction(z.object({}), { role: "admin" }, async (_input, { user }) => {
  const batch = await createPayoutBatch({ actorId: user.userId });
  revalidatePath("/admin");
  return batch;
});

/** Admin only: send a failed payout batch again (the chain is checked first: never paid twice). */
export const retryPayoutBatchAction = validatedAction(z.object({ id: z.string().uuid() }), { role: "admin" }, async ({ id }, { user }) => {
  await retryPayoutBatch({ actorId: user.userId, batchId: id });
  revalidatePath("/admin");
  return { retried: true };
});
