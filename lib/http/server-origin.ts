import "server-only";

import { headers } from "next/headers";

import { getEnv } from "@/lib/config/env";

import { requestHost, requestProtocol } from "./forwarded";

/**
 * This app's origin inside server actions and components: APP_URL, else the request's Host (the
 * forwarded ones only with TRUST_PROXY=on, as for routes: lib/http/origin.ts).
 */
export async function serverOrigin(): Promise<string> {
  const configured = getEnv().APP_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  return `${requestProtocol(h)}//${requestHost(h) ?? "localhost:3000"}`;
}
