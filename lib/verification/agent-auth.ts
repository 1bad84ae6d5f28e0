import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { getEnv } from "@/lib/config/env";
import { UnauthorizedError } from "@/lib/errors";

const BEARER = /^Bearer\s+(\S+)$/i;
const digest = (s: string) => createHash("sha256").update(s).digest();

/** Agents authenticate with `Authorization: Bearer <AGENT_TOKEN>` (compared in constant time). */
export function requireAgent(request: Request): void {
  const configured = getEnv().AGENT_TOKEN;
  const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!configured) throw new UnauthorizedError("Agent access is not configured on this server (AGENT_TOKEN)");
  if (!token || !timingSafeEqual(digest(token), digest(configured))) throw new UnauthorizedError("A valid agent token is required");
}

/** A bearer that is not an API key (`nwu_…`) is taken as the agent token. */
export function isAgentTokenRequest(request: Request): boolean {
  const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
  return !!token && !token.startsWith("nwu_");
}
