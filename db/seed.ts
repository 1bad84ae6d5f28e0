import "server-only";

import { count, sql } from "drizzle-orm";

import type { Db } from "./client";
import { DEMO_ACCOUNTS } from "./demo-accounts";
import { subscriptions, users } from "./schema";

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** Demo users for every role, each with a free plan. Idempotent: re-running adds nothing twice. */
export async function seedDemo(db: Db): Promise<{ users: number }> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          address: a.address,
          username: a.username,
          roles: [...a.roles],
          reputation: (a.roles as readonly string[]).includes("verifier") ? 1 : 0,
        })),
      )
      .onConflictDoNothing({ target: users.address })
      .returning({ id: users.id });
    if (inserted.length > 0) {
      await tx.insert(subscriptions).values(inserted.map((u) => ({ userId: u.id, plan: "free" as const, status: "active" as const })));
    }
    await tx.execute(sql`ANALYZE`);
    return { users: inserted.length };
  });
}
