import { expect, test } from "./fixtures";

test("home page says what NWU Protocol is and has no dead links", async ({ homePage, page, request }) => {
  await homePage.goto();
  await expect(homePage.heading).toHaveText("Open work, verified and rewarded.");
  await expect(page.getByText(/sign in with an Ethereum wallet/i)).toBeVisible();
  await expect(homePage.mainNav).toBeVisible();

  const links = await homePage.internalLinks();
  expect(links.length).toBeGreaterThan(1);
  for (const href of links) {
    const res = await request.get(href);
    // Pages behind sign-in answer 401 with a sign-in prompt: alive, not dead.
    expect([200, 401], `link ${href}`).toContain(res.status());
  }
});

test("health reports a ready database with migrations applied", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.live).toBe(true);
  expect(body.checks.database.ok).toBe(true);
  expect(body.checks.database.driver).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
  expect(body.checks.database.migrations.applied).toBe(body.checks.database.migrations.expected);
});

test("status page shows the database as ready", async ({ page }) => {
  await page.goto("/status");
  await expect(page.getByRole("heading", { name: "System status" })).toBeVisible();
  await expect(page.getByTestId("status-overall")).toHaveText("ok");
  await expect(page.getByTestId("status-database")).toContainText("ready");
});

test("an unknown page is a 404", async ({ request }) => {
  expect((await request.get("/no-such-page")).status()).toBe(404);
});

/** Every contribution the API lists with these filters (paged through), counted the slow, independent way. */
async function listedCount(request: import("@playwright/test").APIRequestContext, filter: string): Promise<number> {
  let n = 0;
  let cursor = "";
  do {
    const page = await (await request.get(`/api/v1/contributions?limit=100${filter}${cursor ? `&cursor=${cursor}` : ""}`)).json();
    n += page.items.length;
    cursor = page.next_cursor ?? "";
  } while (cursor);
  return n;
}

test("a visitor is told what to do next and sees live figures: the seeded work, counted as the API lists it", async ({ homePage, page, request }) => {
  await homePage.goto();
  await expect(page.getByTestId("cta-browse").getByRole("link", { name: "Browse contributions" })).toHaveAttribute("href", "/contributions");
  await expect(page.getByTestId("cta-sign-in")).toContainText("Connect wallet");
  // The e2e server runs in demo mode: the visitor is told no wallet is needed.
  await expect(page.getByTestId("cta-sign-in")).toContainText("Try with a demo wallet");
  await expect(page.getByTestId("cta-upload")).toHaveCount(0);

  const [total, verified] = [await listedCount(request, ""), await listedCount(request, "&status=verified")];
  // The seed alone: six samples, two of them verified.
  expect(total).toBeGreaterThanOrEqual(6);
  expect(verified).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("figure-contributions")).toHaveText(total.toLocaleString("en-US"));
  await expect(page.getByTestId("figure-verified")).toHaveText(verified.toLocaleString("en-US"));
  await expect(page.getByTestId("figure-rewarded")).toHaveText(/^[1-9][\d,]*(\.\d+)? NWU$/);

  const recent = page.getByTestId("recent-verified").getByRole("link");
  await expect(recent).toHaveCount(Math.min(verified, 5));
  await recent.first().click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("verified");
});

test("each role is shown its own next step", async ({ asContributor, asVerifier, asAdmin }) => {
  const { page: contributor } = asContributor;
  await contributor.goto("/");
  await expect(contributor.getByTestId("cta-upload").getByRole("link", { name: "Upload a contribution" })).toHaveAttribute("href", "/upload");
  await expect(contributor.getByTestId("cta-verify")).toHaveCount(0);
  await expect(contributor.getByTestId("cta-admin")).toHaveCount(0);

  await asVerifier.page.goto("/");
  await expect(asVerifier.page.getByTestId("cta-verify").getByRole("link", { name: "Take an assignment" })).toHaveAttribute("href", "/verify");
  await expect(asVerifier.page.getByTestId("cta-admin")).toHaveCount(0);

  await asAdmin.page.goto("/");
  await expect(asAdmin.page.getByTestId("cta-admin").getByRole("link", { name: "Open the admin console" })).toHaveAttribute("href", "/admin");
  await asAdmin.page.getByTestId("cta-admin").getByRole("link").click();
  await expect(asAdmin.page.getByTestId("setup-checklist")).toBeVisible();
});

test("the seeded work is real: a rejection with its reasons, a verified contribution with its votes revealed and a reward", async ({ page, request }) => {
  const find = async (q: string) => (await (await request.get(`/api/v1/contributions?q=${encodeURIComponent(q)}&limit=5`)).json()).items.find((c: { title: string }) => c.title === q);
  const rejected = await find("Release checklist");
  expect(rejected).toMatchObject({ status: "rejected", file_type: "document" });
  await page.goto(`/contributions/${rejected.id}`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("rejected");
  await expect(page.getByText(/Headings without the steps/).first()).toBeVisible();

  const verified = await find("Streaming statistics for sensor readings");
  const detail = await (await request.get(`/api/v1/contributions/${verified.id}`)).json();
  expect(detail).toMatchObject({ status: "verified", file_type: "code", verification_count: 3, reward: { status: expect.stringMatching(/^(pending|processing|distributed)$/) } });
  const file = await request.get(`/api/v1/contributions/${verified.id}/file`);
  expect(await file.text()).toContain("class RunningStats");
  await page.goto(`/contributions/${verified.id}`);
  await expect(page.getByTestId("verifications-table").locator("tbody tr")).toHaveCount(3);
});
