/**
 * Runs `fn` inside the request scope Next gives a server action, so `headers()` and `cookies()`
 * read the given headers: server actions (and `validatedAction` around them) run as they do under
 * `next start`, with a real session cookie, instead of failing for want of a request.
 */
import "./next-async-storage";

import { RequestCookies } from "next/dist/compiled/@edge-runtime/cookies";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { HeadersAdapter } from "next/dist/server/web/spec-extension/adapters/headers";
import { RequestCookiesAdapter } from "next/dist/server/web/spec-extension/adapters/request-cookies";

export function inRequestScope<T>(init: HeadersInit, fn: () => Promise<T>): Promise<T> {
  const headers = new Headers(init);
  // Only the fields headers()/cookies() read in the "render" phase (cookies read-only).
  const workStore = { route: "/test", forceStatic: false, dynamicShouldError: false };
  const requestStore = { type: "request", phase: "render", headers: HeadersAdapter.seal(headers), cookies: RequestCookiesAdapter.seal(new RequestCookies(headers)) };
  return workAsyncStorage.run(workStore as never, () => workUnitAsyncStorage.run(requestStore as never, fn));
}
