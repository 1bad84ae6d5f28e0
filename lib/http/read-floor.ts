import "server-only";

import { cookies } from "next/headers";
// The serializer behind cookies().set (no public export): one spelling of the cookie for both paths.
import { stringifyCookie } from "next/dist/server/web/spec-extension/cookies";

import { primaryWalLsn } from "@/db/client";
import { parseLsn } from "@/db/lsn";
import { currentReadScope, withReadScope } from "@/db/read-scope";
import { getEnv } from "@/lib/config/env";
import { log } from "@/lib/log";

/**
 * Read-your-writes with replicas, for browsers: after a request that wrote, the answer carries the
 * primary's WAL position in `nwu_lsn`; the browser's next requests send it back and their reads
 * stay on the primary until a replica has replayed it (db/replicas.ts). API keys keep theirs in
 * their row (lib/api-keys). It needs no signature: the only thing a forged value changes is where
 * its sender's own reads run — one can always read from the primary, and one who lowers it only
 * risks seeing their own latest write a moment late.
 */
export const READ_FLOOR_COOKIE = "nwu_lsn";

const FLOOR_PAIR = /(?:^|;\s*)nwu_lsn=([0-9A-Fa-f]{1,8})(?:\/|%2[Ff])([0-9A-Fa-f]{1,8})(?:;|$)/;

export function readFloorFrom(cookieHeader: string | null | undefined): bigint | undefined {
  const match = cookieHeader ? FLOOR_PAIR.exec(cookieHeader) : null;
  return match ? parseLsn(`${match[1]}/${match[2]}`) : undefined;
}

/** Read replicas are configured (the embedded database has none). */
export function replicasConfigured(): boolean {
  const env = getEnv();
  return env.DATABASE_REPLICA_URLS.length > 0 && env.DATABASE_URL !== undefined;
}

/**
 * How long the floor is kept: past the lag bound every replica in rotation has replayed it, and past
 * the cache's staleness bound every instance's cache has dropped what it changed.
 */
export function readFloorMaxAgeS(): number {
  const env = getEnv();
  return Math.ceil(Math.max(env.REPLICA_MAX_LAG_MS, env.CACHE_MAX_STALENESS_MS) / 1000) + 1;
}

/** The cookie as Next's cookie jar sets it (pages and actions) and as route handlers append it. */
function readFloorCookieOf(lsn: string, secure: boolean) {
  return { name: READ_FLOOR_COOKIE, value: lsn, path: "/", maxAge: readFloorMaxAgeS(), httpOnly: true, sameSite: "lax", secure } as const;
}

/** The Set-Cookie value, serialized by the jar's own serializer. */
export function readFloorCookie(lsn: string, secure: boolean): string {
  return stringifyCookie(readFloorCookieOf(lsn, secure));
}

/** The request's cookie jar in pages and server actions; undefined outside a request (tests, scripts). */
const requestCookies = () =>
  Promise.resolve()
    .then(cookies)
    .catch(() => undefined);

/** In a server action that wrote: the floor as a cookie on its answer. */
export async function sendReadFloor(): Promise<void> {
  const lsn = await writeFloor();
  if (!lsn) return;
  const jar = await requestCookies();
  jar?.set(readFloorCookieOf(lsn, (getEnv().APP_URL ?? "").startsWith("https:")));
}

/**
 * The primary's position after this request's writes, when it wrote something a replica read shows
 * and replicas are configured (else undefined: there is nothing to wait for).
 */
export function writeFloor(): Promise<string | undefined> {
  const scope = currentReadScope();
  if (!scope?.wrote) return Promise.resolve(undefined);
  let floor = floors.get(scope);
  if (!floor) floors.set(scope, (floor = primaryWalLsn().catch(notRecorded)));
  return floor;
}

// One position per request, however many places record it (the cookie, an API key's row).
const floors = new WeakMap<object, Promise<string | undefined>>();

function notRecorded(error: unknown): undefined {
  // The write itself committed; its writer's next reads may come from a replica a moment early.
  log.warn("read floor not recorded", { error });
  return undefined;
}

/**
 * Runs a route handler in its read scope: GET and HEAD may read from a replica (past the floor the
 * request's cookie carries); other methods read from the primary, and a write sets the cookie.
 */
export async function withRequestReads(request: Request, secure: () => boolean, handle: () => Promise<Response>): Promise<Response> {
  // No replicas: no scope at all (each AsyncLocalStorage in use costs every promise a little).
  if (!replicasConfigured()) return handle();
  const reading = request.method === "GET" || request.method === "HEAD";
  return withReadScope({ replica: reading, floor: readFloorFrom(request.headers.get("cookie")) }, async () => {
    const response = await handle();
    if (reading) return response;
    const lsn = await writeFloor();
    if (lsn) {
      try {
        response.headers.append("set-cookie", readFloorCookie(lsn, secure()));
      } catch {
        // Immutable headers (a proxied fetch Response): that answer goes without the floor.
      }
    }
    return response;
  });
}

/**
 * A page's reads, which may go to a replica past the floor of the visitor's cookie. What the page
 * renders later — async child components — runs outside it, on the primary.
 */
export async function withPageReads<T>(read: () => Promise<T>): Promise<T> {
  if (!replicasConfigured()) return read();
  // Rendered outside a request (tests, scripts): no visitor, no floor to honour — the primary.
  const jar = await requestCookies();
  if (!jar) return read();
  return withReadScope({ replica: true, floor: parseLsn(jar.get(READ_FLOOR_COOKIE)?.value) }, read);
}
