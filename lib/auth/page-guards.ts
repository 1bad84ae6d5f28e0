import "server-only";

import { forbidden, unauthorized } from "next/navigation";

import type { UserRole } from "@/db/schema";

import { currentUser, hasRole } from "./authorize";
import type { SessionUser } from "./sessions";

/** For server components (pages): 401 page when signed out, 403 page without the role. */
export async function pageUser(role?: UserRole): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) unauthorized();
  if (role && !hasRole(user, role)) forbidden();
  return user;
}
