/** Small row builders for tests that need data without going through uploads. */
import { randomBytes } from "node:crypto";

import type { Db } from "@/db/client";
import { contributions, users, type NewContribution } from "@/db/schema";

export async function insertUser(db: Db, roles: ("contributor" | "verifier" | "admin")[] = ["contributor"]) {
  const [u] = await db
    .insert(users)
    .values({ address: `0x${randomBytes(20).toString("hex")}`, roles })
    .returning({ id: users.id, address: users.address });
  return u!;
}

export async function insertContribution(db: Db, userId: string, values: Partial<NewContribution> = {}) {
  const [c] = await db
    .insert(contributions)
    .values({
      userId,
      cid: `bafkrei${randomBytes(16).toString("hex")}`,
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
