import "server-only";

import { headers } from "next/headers";

import { getEnv } from "@/lib/config/env";

/** This app's origin inside server actions and components (APP_URL, else the request's Host). */
export async function serverOrigin(): Promise<string> {
  const configured = getEnv().APP_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${h.get("host") ?? "localhost:3000"}`;
}
