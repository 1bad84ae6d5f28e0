import "server-only";

import { NextResponse } from "next/server";

import { SESSION_COOKIE } from "./sessions";
import { SIGNED_IN_FLAG } from "./signed-in-flag";

const COOKIE_PAIR = /(?:^|;\s*)nwu_session=([^;]*)/;

/** The session token carried by a request's Cookie header (route handlers, tests, any runtime). */
export function sessionTokenFrom(request: Request): string | undefined {
  const match = COOKIE_PAIR.exec(request.headers.get("cookie") ?? "");
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined; // a malformed cookie is no session, not an error
  }
}

export function setSessionCookie(response: NextResponse, token: string, options: { secure: boolean; absoluteExpiresAt: Date }): void {
  response.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: options.secure,
    path: "/",
    // The browser keeps it no longer than the session can live; idle expiry is enforced server-side.
    expires: options.absoluteExpiresAt,
  });
  response.cookies.set(SIGNED_IN_FLAG, "1", { httpOnly: false, sameSite: "lax", secure: options.secure, path: "/", expires: options.absoluteExpiresAt });
}

export function clearSessionCookie(response: NextResponse, secure: boolean): void {
  response.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 0 });
  response.cookies.set(SIGNED_IN_FLAG, "", { httpOnly: false, sameSite: "lax", secure, path: "/", maxAge: 0 });
}
