import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { SiteHeader } from "./pages/site-header";
import { TestWallet } from "./support/wallet";

const PAGES = ["/", "/contributions", "/pricing", "/docs/api", "/status", "/upload"];

test("every page: a nonce CSP without inline scripts, no framing, nosniff, referrer policy, a request id", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    const csp = h["content-security-policy"] ?? "";
    const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
    expect(scriptSrc, path).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scriptSrc, path).not.toContain("'unsafe-inline'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    // No WalletConnect project id here: nothing beyond this origin may be reached or framed.
    expect(csp, path).not.toMatch(/walletconnect|walletlink|frame-src/);
    expect(h["cross-origin-opener-policy"], path).toBe("same-origin");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["x-request-id"], path).toMatch(/^[\w.:-]{8,}$/);
    expect(h["strict-transport-security"], path).toBeUndefined(); // plain http here
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
    nonces.add(nonce);
    if (res.status() === 200) {
      // Every script the page ships carries this response's nonce.
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
  }
  expect(nonces.size).toBe(PAGES.length); // fresh per response
});

test("forwarded headers are not believed without TRUST_PROXY; problem details quote the request id", async ({ request }) => {
  // No load balancer here (TRUST_PROXY off, the default): a client's claims are ignored. The
  // TRUST_PROXY=on side is tested in lib/http/forwarded.test.ts.
  const https = await request.get("/", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBeUndefined();
  const res = await request.get("/api/v1/contributions?limit=1000", { headers: { "x-request-id": "trace-abc-12345" } });
  expect(res.status()).toBe(400);
  const id = res.headers()["x-request-id"];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await res.json()).toMatchObject({ status: 400, request_id: id });
});

test("the app runs under its CSP: signing in and browsing raise no violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const account = DEMO_ACCOUNTS[3];
  const wallet = await new TestWallet(page, account.privateKey).install();
  await page.goto("/");
  await new SiteHeader(page).signIn(wallet.address);
  await page.goto("/contributions");
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { name: "Wallet" })).toBeVisible();
  expect(violations).toEqual([]);
});
