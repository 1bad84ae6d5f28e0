"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { API_SCOPES, createApiKey, revokeApiKey } from "./keys";

const createKey = z.object({
  name: z.string().trim().min(1, "Name the key").max(100),
  scopes: z.preprocess((v) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : v), z.array(z.enum(API_SCOPES)).min(1, "Choose at least one scope")),
  expiresInDays: z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().int().min(1).max(3650).optional()),
});

/** Signed in: a new API key; the full key is in this answer only. */
export const createApiKeyAction = validatedAction(createKey, {}, async (input, { user }) => {
  const { key, apiKey } = await createApiKey({
    userId: user.userId,
    name: input.name,
    scopes: input.scopes,
    expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
  });
  revalidatePath("/settings/api-keys");
  return { key, apiKey };
});

/** Owner only: revoke a key (refused from the next request on). */
export const revokeApiKeyAction = validatedAction(z.object({ id: z.string().uuid() }), {}, async ({ id }, { user }) => {
  await revokeApiKey({ userId: user.userId, id });
  revalidatePath("/settings/api-keys");
  return { revoked: true };
});
