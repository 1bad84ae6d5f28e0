import "server-only";

import { cookies } from "next/headers";
import { cache } from "react";

import type { UserRole } from "@/db/schema";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

import { sessionTokenFrom } from "./cookie";
import { SESSION_COOKIE, getSessionUser, type SessionUser } from "./sessions";

/**
 * The one authorization helper. Route handlers pass their `request`; server components and server
 * actions call without it and the session cookie is read from the request scope. Middleware is
 * never relied on: every handler and action calls one of these itself.
 */
const userFromCookies = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  return getSessionUser(jar.get(SESSION_COOKIE)?.value);
});

export async function currentUser(request?: Request): Promise<SessionUser | null> {
  return request ? getSessionUser(sessionTokenFrom(request)) : userFromCookies();
}

export async function requireUser(request?: Request): Promise<SessionUser> {
  const user = await currentUser(request);
  if (!user) throw new UnauthorizedError();
  return user;
}

export function hasRole(user: Pick<SessionUser, "roles"> | null, role: UserRole): boolean {
  return !!user?.roles.includes(role);
}

export async function requireRole(role: UserRole, request?: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, role)) throw new ForbiddenError(`This needs the ${role} role`);
  return user;
}
