// First: Next's request stores must be real AsyncLocalStorage before next/headers loads.
import { inRequestScope } from "@/test/request-scope";

import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";

import { resetEnvCache } from "@/lib/config/env";
import { proxy } from "@/proxy";

import { requestIdFrom } from "./forwarded";
import { appOrigin, assertSameOrigin } from "./origin";
import { withApiHeaders } from "./security-headers";
import { serverOrigin } from "./server-origin";

/** One rule for X-Forwarded-* and X-Request-Id, in every place that reads them: TRUST_PROXY. */
const FORWARDED = { host: "10.0.0.5:3000", "x-forwarded-proto": "https", "x-forwarded-host": "nwu.example", "x-request-id": "lb-trace-0001" };
const HSTS = "strict-transport-security";

function setTrust(value: "on" | "off" | undefined) {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnvCache();
}
afterEach(() => setTrust(undefined));

describe("TRUST_PROXY off (the default): forwarded headers are ignored", () => {
  it("keeps the Host and the connection's protocol for the origin, in routes and in actions", async () => {
    setTrust(undefined);
    const request = new Request("http://10.0.0.5:3000/api/x", { headers: FORWARDED });
    expect(appOrigin(request)).toBe("http://10.0.0.5:3000");
    expect(() => assertSameOrigin(new Request("http://10.0.0.5:3000/api/x", { method: "POST", headers: { ...FORWARDED, origin: "https://nwu.example" } }))).toThrow(/Cross-origin/);
    expect(await inRequestScope(FORWARDED, serverOrigin)).toBe("http://10.0.0.5:3000");
  });

  it("sends no HSTS for a forged x-forwarded-proto, and never echoes a client's request id", () => {
    setTrust("off");
    const api = withApiHeaders(new Response("ok"), new Request("http://10.0.0.5:3000/api/x", { headers: FORWARDED }), requestIdFrom(new Headers(FORWARDED)));
    expect(api.headers.get(HSTS)).toBeNull();
    expect(api.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const page = proxy(new NextRequest("http://10.0.0.5:3000/", { headers: FORWARDED }));
    expect(page.headers.get(HSTS)).toBeNull();
    expect(page.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // Pages and actions behind the proxy read the proxy's id, not the client's.
    expect(page.headers.get("x-middleware-request-x-request-id")).toBe(page.headers.get("x-request-id"));
  });

  it("does not take https from the request URL either: Next builds it from X-Forwarded-Proto", () => {
    setTrust(undefined);
    expect(proxy(new NextRequest("https://nwu.example/", { headers: { "x-forwarded-proto": "https" } })).headers.get(HSTS)).toBeNull();
    expect(appOrigin(new Request("https://nwu.example/api/x", { headers: { host: "nwu.example" } }))).toBe("http://nwu.example");
  });
});

describe("TRUST_PROXY=on (behind a load balancer): forwarded headers are believed", () => {
  it("takes the origin from X-Forwarded-Proto/-Host, in routes and in actions", async () => {
    setTrust("on");
    const request = new Request("http://10.0.0.5:3000/api/x", { headers: { ...FORWARDED, "x-forwarded-proto": "https, http" } });
    expect(appOrigin(request)).toBe("https://nwu.example");
    expect(() => assertSameOrigin(new Request("http://10.0.0.5:3000/api/x", { method: "POST", headers: { ...FORWARDED, origin: "https://nwu.example" } }))).not.toThrow();
    expect(await inRequestScope(FORWARDED, serverOrigin)).toBe("https://nwu.example");
  });

  it("sends HSTS for x-forwarded-proto https and keeps the load balancer's sane request id", () => {
    setTrust("on");
    const api = withApiHeaders(new Response("ok"), new Request("http://10.0.0.5:3000/api/x", { headers: FORWARDED }), requestIdFrom(new Headers(FORWARDED)));
    expect(api.headers.get(HSTS)).toMatch(/max-age=/);
    expect(api.headers.get("x-request-id")).toBe("lb-trace-0001");
    const page = proxy(new NextRequest("http://10.0.0.5:3000/", { headers: FORWARDED }));
    expect(page.headers.get(HSTS)).toMatch(/max-age=/);
    expect(page.headers.get("x-request-id")).toBe("lb-trace-0001");
    // A malformed id is replaced even from a trusted proxy.
    expect(requestIdFrom(new Headers({ "x-request-id": "<script>" }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ignores an x-forwarded-proto that is neither http nor https", () => {
    setTrust("on");
    expect(appOrigin(new Request("https://10.0.0.5:3000/api/x", { headers: { ...FORWARDED, "x-forwarded-proto": "javascript" } }))).toBe("http://nwu.example");
  });
});
