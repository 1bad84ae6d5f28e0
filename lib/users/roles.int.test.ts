import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditLog, users } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";

import { setRole } from "./roles";

const testDb = setupTestDatabase();

async function makeUser(address: string, roles: ("contributor" | "verifier" | "admin")[] = ["contributor"]) {
  const [u] = await testDb.handle.db.insert(users).values({ address, roles }).returning({ id: users.id });
  return u!.id;
}

describe("verifier role management", () => {
  it("grants and revokes, once each, with an audit entry per change", async () => {
    const adminId = await makeUser(`0x${"a".repeat(40)}`, ["contributor", "admin"]);
    const userId = await makeUser(`0x${"b".repeat(40)}`);
    const address = `0x${"B".repeat(40)}`; // any case

    expect(await setRole({ actorId: adminId, address, role: "verifier", grant: true, reason: "trusted reviewer" })).toEqual(["contributor", "verifier"]);
    expect(await setRole({ actorId: adminId, address, role: "verifier", grant: true })).toEqual(["contributor", "verifier"]);
    expect(await setRole({ actorId: adminId, address, role: "verifier", grant: false })).toEqual(["contributor"]);

    const entries = await testDb.handle.db
      .select({ action: auditLog.action, actorId: auditLog.actorId, reason: auditLog.reason })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, userId)))
      .orderBy(auditLog.createdAt);
    expect(entries).toEqual([
      { action: "role.grant", actorId: adminId, reason: "trusted reviewer" },
      { action: "role.revoke", actorId: adminId, reason: null },
    ]);
  });

  it("concurrent grants leave exactly one verifier role", async () => {
    const adminId = await makeUser(`0x${"c".repeat(40)}`, ["admin"]);
    await makeUser(`0x${"d".repeat(40)}`);
    await Promise.all(Array.from({ length: 6 }, () => setRole({ actorId: adminId, address: `0x${"d".repeat(40)}`, role: "verifier", grant: true })));
    const [u] = await testDb.handle.db.select({ roles: users.roles }).from(users).where(eq(users.address, `0x${"d".repeat(40)}`));
    expect(u!.roles).toEqual(["contributor", "verifier"]);
  });

  it("names an unknown address", async () => {
    const adminId = await makeUser(`0x${"e".repeat(40)}`, ["admin"]);
    await expect(setRole({ actorId: adminId, address: `0x${"f".repeat(40)}`, role: "verifier", grant: true })).rejects.toBeInstanceOf(NotFoundError);
  });
});
