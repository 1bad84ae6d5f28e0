import { randomBytes } from "node:crypto";

import type { Page } from "@playwright/test";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { SiteHeader, shortAddress } from "./pages/site-header";

/** Issue 17 §6: what every visitor's browser and every crawler meets — no errors, a favicon, robots, a sitemap. */

/** Console errors, failed requests and 4xx/5xx answers while `page` is used. */
function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // Left behind when the test moves on: a live event stream, or a link's prefetch (?_rsc=) cut short.
    const url = new URL(r.url());
    const leftBehind = /\/events\b/.test(url.pathname) || (url.searchParams.has("_rsc") && r.failure()?.errorText === "net::ERR_ABORTED");
    if (!leftBehind) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  return problems;
}

async function uploadNote(request: import("@playwright/test").APIRequestContext, title: string): Promise<string> {
  const created = await request.post("/api/v1/contributions", {
    multipart: { title, file_type: "document", file: { name: "note.txt", mimeType: "text/plain", buffer: Buffer.from(`${title} ${randomBytes(8).toString("hex")}\n`) } },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id as string;
}

test("an anonymous visitor's pages load with no console error, failed request or error answer", async ({ asContributor, browser, baseURL }) => {
  const id = await uploadNote(asContributor.request, "Site basics: anonymous view");
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const problems = recordProblems(page);
  for (const path of ["/", "/contributions", `/contributions/${id}`, "/pricing", "/docs/api", "/status"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // Among them: no 401 from /api/auth/session (nobody is signed in, so nobody asks), no favicon 404.
  expect(problems).toEqual([]);
  await context.close();
});

test("a signed-in visitor's header still finds the session", async ({ asContributor: { page } }) => {
  const sessionCalls: number[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === "/api/auth/session") sessionCalls.push(r.status());
  });
  await page.goto("/contributions");
  await page.waitForLoadState("networkidle");
  expect(sessionCalls).toContain(200);
});

test("a server refresh keeps the header's client state: an open account menu stays open, the same elements stay", async ({ asContributor: { page } }) => {
  const header = new SiteHeader(page);
  await page.goto("/contributions");
  await header.accountButton.click();
  const menu = page.getByRole("menu", { name: "Account" });
  await expect(menu).toBeVisible();
  await header.accountButton.evaluate((el) => el.setAttribute("data-before-refresh", ""));
  // What sign-in, sign-out, a role switch and a live verdict all do: re-render the server components in place.
  await page.evaluate(() => (window as unknown as { next: { router: { refresh(): void } } }).next.router.refresh());
  await expect(page.locator("main")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(menu).toBeVisible();
  await expect(header.accountButton).toHaveAttribute("data-before-refresh", "");
});

test("a session from before the signed-in flag gets the flag back and stays signed in", async ({ asContributor: { context, page, address } }) => {
  await context.clearCookies({ name: "nwu_signed_in" });
  expect((await context.cookies()).map((c) => c.name)).toEqual(["nwu_session"]);
  await page.goto("/contributions");
  await expect(new SiteHeader(page).accountButton).toHaveText(shortAddress(address));
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(["nwu_session", "nwu_signed_in"]);
});

test("favicon, robots.txt and sitemap.xml answer with their content types", async ({ request, asContributor, baseURL }) => {
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);

  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
  const rules = await robots.text();
  expect(rules).toMatch(/^Allow: \/$/m);
  for (const path of ["/api/", "/admin", "/settings"]) expect(rules).toContain(`Disallow: ${path}`);
  expect(rules).toContain(`Sitemap: ${baseURL}/sitemap.xml`);

  const visible = await uploadNote(asContributor.request, "Site basics: in the sitemap");
  const sitemap = await request.get("/sitemap.xml");
  expect(sitemap.status()).toBe(200);
  expect(sitemap.headers()["content-type"]).toMatch(/^application\/xml/);
  const xml = await sitemap.text();
  for (const path of ["/contributions", "/pricing", "/docs/api", "/status"]) expect(xml).toContain(`<loc>${baseURL}${path}</loc>`);
  expect(xml).toContain(`<loc>${baseURL}/contributions/${visible}</loc>`);
});

test("each main page has its own meta description", async ({ page }) => {
  const seen = new Map<string, string>();
  for (const path of ["/", "/contributions", "/pricing", "/docs/api", "/status"]) {
    await page.goto(path);
    const description = await page.locator('meta[name="description"]').getAttribute("content");
    expect(description?.length, path).toBeGreaterThan(30);
    if (path !== "/") expect([...seen.values()], `${path} repeats another page's description`).not.toContain(description);
    seen.set(path, description!);
  }
});

test("/docs/api shows every operation with a curl example, and no raw backticks", async ({ page, request }) => {
  await page.goto("/docs/api");
  const doc = (await (await request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  await expect(page.getByTestId("curl-example")).toHaveCount(operations);
  const list = page.getByRole("region", { name: "GET /api/v1/contributions", exact: true });
  await expect(list.getByRole("table", { name: /parameters/ })).toContainText("cursor");
  await expect(list.getByTestId("curl-example")).toContainText(`curl "${new URL(page.url()).origin}/api/v1/contributions"`);
  const upload = page.getByRole("region", { name: "POST /api/v1/contributions", exact: true });
  await expect(upload.getByRole("table", { name: /request body/ })).toContainText("file_type");
  await expect(page.getByRole("region", { name: "ContributionPage", exact: true })).toContainText("next_cursor");
  expect(await page.locator("main").innerText()).not.toContain("`");

  // On a phone, long paths and curl lines scroll inside their own block: the page itself never sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  const widths = await page.locator("main").evaluate((main) => ({ scroll: main.scrollWidth, client: main.clientWidth, page: document.documentElement.scrollWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(widths.page).toBeLessThanOrEqual(390);
});

test("/contributions: a total, and Previous undoes Next", async ({ asContributor, page }) => {
  const tag = randomBytes(3).toString("hex");
  for (let i = 0; i < 3; i++) await uploadNote(asContributor.request, `Paging ${tag} ${i}`);
  await page.goto(`/contributions?q=Paging+${tag}&limit=2`);
  const nav = page.getByRole("navigation", { name: "Pagination" });
  await expect(nav.getByTestId("list-total")).toHaveText("3 contributions");
  const rows = page.getByTestId("contribution-row").getByRole("link");
  await expect(rows).toHaveText([`Paging ${tag} 2`, `Paging ${tag} 1`]);
  await expect(nav.getByRole("link", { name: "Previous page" })).toHaveCount(0);

  await nav.getByRole("link", { name: "Next page" }).click();
  await expect(rows).toHaveText([`Paging ${tag} 0`]);
  await expect(nav.getByRole("link", { name: "Next page" })).toHaveCount(0);

  await nav.getByRole("link", { name: "Previous page" }).click();
  await expect(rows).toHaveText([`Paging ${tag} 2`, `Paging ${tag} 1`]);
  await expect(nav.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Next page" })).toBeVisible();

  // Typo-tolerant search, as the issue asks: one letter dropped still finds them.
  await page.goto(`/contributions?q=Pagin+${tag}`);
  await expect(rows).toHaveCount(3);
});

test("/admin finds a user by a fragment from the middle of their address, with a total and Previous", async ({ asAdmin: { page } }) => {
  const address = DEMO_ACCOUNTS[3].address.toLowerCase();
  await page.goto(`/admin?q=${address.slice(14, 26).toUpperCase()}`);
  const users = page.getByTestId("users-table");
  await expect(users.locator("tbody tr")).toHaveCount(1);
  await expect(users.locator(`tr[data-address="${address}"]`)).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Users pages" });
  await expect(nav.getByTestId("list-total")).toHaveText("1 user");

  await page.goto("/admin?limit=2");
  const shown = () => users.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-address")));
  const first = await shown();
  // The links navigate client-side: page 2 (also two rows) stays on screen until the next one renders, so poll.
  await nav.getByRole("link", { name: "Next page" }).click();
  await expect.poll(shown).not.toEqual(first);
  await nav.getByRole("link", { name: "Previous page" }).click();
  await expect.poll(shown).toEqual(first);
});
