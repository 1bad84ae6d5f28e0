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
