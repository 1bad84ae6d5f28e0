import "server-only";

import { randomInt } from "node:crypto";

import { and, eq, gt, isNull, lt } from "drizzle-orm";

import { getDb, type Tx } from "@/db/client";
import { authNonces } from "@/db/schema";
import { UnauthorizedError } from "@/lib/errors";

export const NONCE_TTL_MS = 5 * 60 * 1000;
const NONCE_LENGTH = 24;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 24 alphanumeric characters from the CSPRNG (~143 bits), as EIP-4361 requires (≥ 8). */
function randomNonce(): string {
  let out = "";
  for (let i = 0; i < NONCE_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export async function issueNonce(now = new Date()): Promise<{ nonce: string; expiresAt: Date }> {
  const db = getDb();
  const nonce = randomNonce();
  const expiresAt = new Date(now.getTime() + NONCE_TTL_MS);
  await db.insert(authNonces).values({ nonce, expiresAt, createdAt: now });
  // Keep the table small without a scheduler: every ~50th issue sweeps long-dead nonces.
  if (randomInt(50) === 0) {
    await db.delete(authNonces).where(lt(authNonces.expiresAt, new Date(now.getTime() - 60 * 60 * 1000)));
  }
  return { nonce, expiresAt };
}

/**
 * Consumes a nonce atomically inside the sign-in transaction: of two concurrent sign-ins with one
 * nonce exactly one gets the row back. The reason for a refusal is told apart afterwards.
 */
export async function consumeNonce(tx: Tx, nonce: string, now = new Date()): Promise<void> {
  const [row] = await tx
    .update(authNonces)
    .set({ consumedAt: now })
    .where(and(eq(authNonces.nonce, nonce), isNull(authNonces.consumedAt), gt(authNonces.expiresAt, now)))
    .returning({ nonce: authNonces.nonce });
  if (row) return;
  const [existing] = await tx
    .select({ consumedAt: authNonces.consumedAt, expiresAt: authNonces.expiresAt })
    .from(authNonces)
    .where(eq(authNonces.nonce, nonce));
  if (!existing) throw new UnauthorizedError("Unknown nonce: request a new one from /api/auth/nonce");
  if (existing.consumedAt) throw new UnauthorizedError("Nonce already used");
  if (existing.expiresAt > now) throw new UnauthorizedError("Nonce could not be used");
  throw new UnauthorizedError("Nonce expired: request a new one");
}
