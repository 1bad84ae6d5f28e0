import "server-only";

import { and, ilike, or, sql, type SQL } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { users, type UserRole } from "@/db/schema";
import { cappedCount, cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

export interface UserRow {
  id: string;
  address: string;
  username: string | null;
  roles: UserRole[];
  reputation: number;
  isActive: boolean;
  createdAt: Date;
}

const LIKE_SPECIALS = /[\\%_]/g;

/** Any part of the address or the username, case-insensitive, through their trigram indexes. */
function matching(q: string | undefined): SQL | undefined {
  const term = q?.trim();
  if (!term) return undefined;
  const pattern = `%${term.replace(LIKE_SPECIALS, (c) => `\\${c}`)}%`;
  return or(ilike(users.address, pattern), ilike(users.username, pattern));
}

/**
 * Users, newest first, keyset-paginated on (created_at, id) both ways (a `back` cursor reads the
 * page before). `q` matches any part of an address or username.
 */
export async function listUsers(input: { q?: string; cursor?: Cursor; limit: number }): Promise<Page<UserRow>> {
  const order = keyset(users.createdAt, users.id, input.cursor);
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
    .where(and(matching(input.q), order.where))
    .orderBy(order.orderBy)
    .limit(input.limit + 1);
  return toPage(rows, input.limit, ({ cursorAt: _, ...user }) => user, input.cursor);
}

/** How many users `q` matches, up to TOTAL_CAP + 1 (lib/pagination formatTotal). */
export async function countUsers(q: string | undefined): Promise<number> {
  const where = matching(q);
  const [row] = await queryRows<{ n: number }>(getDb(), cappedCount(sql`FROM ${users}${where ? sql` WHERE ${where}` : sql``}`));
  return row?.n ?? 0;
}
