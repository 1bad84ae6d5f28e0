/**
 * A cookie beside the (httpOnly) session cookie that scripts can read: it says only "a session
 * cookie was set", so the browser asks /api/auth/session only then — an anonymous page never
 * fetches it (its 401 would be a console error on every page). It holds no secret and grants nothing.
 */
export const SIGNED_IN_FLAG = "nwu_signed_in";

/** The session cookie's name (lib/auth/sessions.ts re-exports it; here for the proxy, which must not load the database). */
export const SESSION_COOKIE_NAME = "nwu_session";
