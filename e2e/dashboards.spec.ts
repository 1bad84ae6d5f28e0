import AxeBuilder from "@axe-core/playwright";
import postgres from "postgres";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";
import { isOpen, OPEN_STATUSES } from "../db/vocabulary";

import { expect, test } from "./fixtures";

/** The contributor's numbers the slow, independent way: every contribution listed through the API. */
async function truthFromApi(request: import("@playwright/test").APIRequestContext, address: string) {
  const all: { status: string; quality_score: number | null }[] = [];
  let cursor = "";
  do {
    const page = await (await request.get(`/api/v1/contributions?owner=${address}&limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json();
    all.push(...page.items);
    cursor = page.next_cursor ?? "";
  } while (cursor);
  const decided = all.filter((c) => c.status === "verified" || c.status === "rejected");
  const avg = decided.length ? decided.reduce((s, c) => s + (c.quality_score ?? 0), 0) / decided.length : null;
  return {
    total: all.length,
    verified: all.filter((c) => c.status === "verified").length,
    rejected: all.filter((c) => c.status === "rejected").length,
    open: all.filter((c) => isOpen(c.status)).length,
    average: avg === null ? "—" : String(Math.round(avg * 100) / 100),
  };
}

test("a contributor's dashboard shows the numbers the API lists, and has no serious accessibility violations", async ({ asContributor: contributor }, testInfo) => {
  const { page } = contributor;
  // Something to count, whatever ran before.
  const upload = await contributor.request.post("/api/v1/contributions", {
    multipart: { title: "Dashboard fixture", file_type: "document", file: { name: "d.md", mimeType: "text/markdown", buffer: Buffer.from(`# Notes ${Date.now()}\n\nText.\n`) } },
  });
  expect(upload.status()).toBe(201);
  await page.goto("/dashboard");
  const truth = await truthFromApi(contributor.request, contributor.address);
  expect(truth.total).toBeGreaterThan(0);
  await expect(page.getByTestId("card-total")).toHaveText(String(truth.total));
  await expect(page.getByTestId("card-verified")).toHaveText(String(truth.verified));
  await expect(page.getByTestId("card-rejected")).toHaveText(String(truth.rejected));
  // Every open status, named on the card: "pending" alone would not be what it counts.
  await expect(page.getByTestId("card-open")).toHaveText(String(truth.open));
  await expect(page.getByRole("region", { name: "Awaiting a decision" })).toContainText(OPEN_STATUSES.join(", "));
  await expect(page.getByTestId("card-quality")).toHaveText(truth.average);
  await expect(page.getByRole("img", { name: /Contributions per week by status/ })).toBeVisible();

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  for (const [name, size] of [["desktop", { width: 1280, height: 900 }], ["mobile", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    const file = testInfo.outputPath(`dashboard-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`dashboard-${name}`, { path: file, contentType: "image/png" });
  }
});

test("the wallet page lists rewards by tab", async ({ asContributor: { page, address } }) => {
  await page.goto("/wallet");
  await expect(page.getByTestId("wallet-address")).toContainText(address.slice(2, 10), { ignoreCase: true });
  await page.getByRole("link", { name: "Pending", exact: true }).click();
  await expect(page).toHaveURL(/tab=pending/);
});

test("an admin sees revenue from the seeded payments, can grant the verifier role, and the console passes axe", async ({ asAdmin: { page } }, testInfo) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Revenue", exact: true })).toBeVisible();
  if (process.env.DATABASE_URL) {
    // MRR from active paid subscriptions × plan price, computed here straight from the database.
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `${url.pathname}_e2e`;
    const sql = postgres(url.toString(), { max: 1 });
    const rows = await sql<{ plan: string; n: number }[]>`SELECT plan, count(*)::int AS n FROM subscriptions WHERE status IN ('active','trialing','past_due') AND stripe_subscription_id IS NOT NULL GROUP BY plan`;
    const [month] = await sql<{ cents: string }[]>`SELECT coalesce(sum(amount_cents - refunded_cents), 0) AS cents FROM payments WHERE status IN ('succeeded','refunded') AND paid_at >= date_trunc('month', now())`;
    await sql.end();
    const mrr = rows.reduce((s, r) => s + (r.plan === "pro" ? 9900 : r.plan === "enterprise" ? 99900 : 0) * r.n, 0);
    const usd = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    await expect(page.getByTestId("admin-mrr")).toHaveText(usd(mrr));
    await expect(page.getByTestId("admin-arr")).toHaveText(usd(mrr * 12));
    await expect(page.getByTestId("admin-month-revenue")).toHaveText(usd(Number(month!.cents)));
  } else {
    // The seed alone: one Pro subscription.
    await expect(page.getByTestId("admin-mrr")).toHaveText(/^\$\d{2,}/);
  }
  const row = page.locator(`tr[data-address="${DEMO_ACCOUNTS[4].address}"]`);
  const toggle = row.getByRole("button", { name: /verifier for/ });
  const before = await toggle.textContent();
  await toggle.click();
  await expect(toggle).not.toHaveText(before!);
  await toggle.click();
  await expect(toggle).toHaveText(before!);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  for (const [name, size] of [["desktop", { width: 1280, height: 900 }], ["mobile", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    const file = testInfo.outputPath(`admin-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`admin-${name}`, { path: file, contentType: "image/png" });
  }
});

test("keyboard navigation reaches every control on the main pages, and axe finds no serious violations there", async ({ asAdmin: { page } }) => {
  // One Tab press per control on thirteen pages: with the demo seed's content there are a few hundred.
  test.setTimeout(180_000);
  for (const path of ["/", "/contributions", "/upload", "/verify", "/dashboard", "/wallet", "/billing", "/settings/api-keys", "/settings/webhooks", "/notifications", "/admin", "/pricing", "/docs/api"]) {
    await page.goto(path);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${path} ${v.id}: ${v.help}`)).toEqual([]);
    const total = await page.evaluate(() => {
      // A radio group is one tab stop (its checked radio, else its first): arrow keys move inside it.
      const tabStop = (el: HTMLElement) => {
        if (!(el instanceof HTMLInputElement) || el.type !== "radio" || !el.name) return true;
        const group = [...document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(el.name)}"]`)];
        return group.some((r) => r.checked) ? el.checked : group[0] === el;
      };
      const els = [...document.querySelectorAll<HTMLElement>("a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])")].filter(
        (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden" && tabStop(el),
      );
      els.forEach((el, i) => (el.dataset.kbd = String(i)));
      return els.length;
    });
    const reached = new Set<string>();
    await page.locator("body").focus();
    // More presses than controls: a date input takes one Tab per field (month, day, year).
    for (let i = 0; i < total * 2 + 10 && reached.size < total; i++) {
      await page.keyboard.press("Tab");
      const idx = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.kbd ?? null);
      if (idx) reached.add(idx);
    }
    const missed = await page.evaluate((seen) => [...document.querySelectorAll<HTMLElement>("[data-kbd]")].filter((el) => !seen.includes(el.dataset.kbd!)).map((el) => el.outerHTML.slice(0, 160)), [...reached]);
    expect(reached.size, `${path}: reached ${reached.size} of ${total} controls by keyboard; not reached: ${missed.join(" | ")}`).toBe(total);
  }
});
