import "server-only";

import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";

import { getDb } from "@/db/client";
import { users, type UserRole } from "@/db/schema";
import { before, cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

export interface UserRow {
  id: string;
  address: string;
  username: string | null;
  roles: UserRole[];
  reputation: number;
  isActive: boolean;
  createdAt: Date;
}

const HEX_PREFIX = /^0x[0-9a-f]{0,40}$/;

/**
 * Users, newest first, keyset-paginated on (created_at, id). `q` is an address prefix (served by
 * the unique address index as a range) or an exact username.
 */
export async function listUsers(input: { q?: string; cursor?: Cursor; limit: number }): Promise<Page<UserRow>> {
  const filters: SQL[] = [];
  const q = input.q?.trim().toLowerCase();
  if (q) {
    if (HEX_PREFIX.test(q)) {
      // Every address is 0x + 40 lowercase hex digits, so [q, q + "g") is exactly "starts with q".
      filters.push(and(gte(users.address, q), lt(users.address, `${q}g`))!);
    } else {
      filters.push(eq(users.username, input.q!.trim()));
    }
  }
  if (input.cursor) {
    filters.push(before(users.createdAt, users.id, input.cursor));
  }
  const rows = await getDb()
    .select({
      id: users.id,
      address: users.address,
      username: users.username,
      roles: users.roles,
      reputation: users.reputation,
      isActive: users.isActive,
      createdAt: users.createdAt,
      cursorAt: cursorText(users.createdAt),
    })
    .from(users)
    .where(and(...filters))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, ({ cursorAt: _, ...user }) => user);
}
