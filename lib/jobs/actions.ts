"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { requeueDeadJob } from "./queue";

/** Admin only: put a dead job back in the queue (its attempts start over). */
export const requeueJobAction = validatedAction(z.object({ id: z.string().uuid() }), { role: "admin" }, async ({ id }) => {
  await requeueDeadJob(id);
  revalidatePath("/admin");
  return { requeued: true };
});
