/** Small row builders for tests that need data without going through uploads. */
import { randomBytes } from "node:crypto";

import { CID } from "multiformats/cid";
import { create as createDigest } from "multiformats/hashes/digest";

import type { Db } from "@/db/client";
import { contributions, users, type NewContribution, type UserRole } from "@/db/schema";

export async function insertUser(db: Db, roles: UserRole[] = ["contributor"]) {
  const [u] = await db
    .insert(users)
    .values({ address: `0x${randomBytes(20).toString("hex")}`, roles })
    .returning({ id: users.id, address: users.address });
  return u!;
}

/** A well-formed CIDv1 (raw, sha2-256) of bytes nobody has: for rows whose content is not in the node. */
export const randomCid = () => CID.create(1, 0x55, createDigest(0x12, randomBytes(32))).toString();

export async function insertContribution(db: Db, userId: string, values: Partial<NewContribution> = {}) {
  const [c] = await db
    .insert(contributions)
    .values({
      userId,
      cid: randomCid(),
      sha256: randomBytes(32).toString("hex"),
      fileName: "a.txt",
      fileType: "document",
      mediaType: "text/plain",
      sizeBytes: 3,
      title: "Live",
      ...values,
    })
    .returning({ id: contributions.id });
  return c!.id;
}
