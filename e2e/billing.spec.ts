import { request as playwrightRequest } from "@playwright/test";

import { expect, test } from "./fixtures";
import { subscribeToPro } from "./support/stripe-checkout";

test("subscribe through Checkout, the signed webhook activates the plan, then an API key is rate limited and revoked", async ({ asVerifier2: { page }, baseURL }) => {
  test.setTimeout(120_000);
  await subscribeToPro(page);
  await expect(page.getByTestId("plan-name")).toHaveText("Free"); // until the page is reloaded

  await page.reload();
  await expect(page.getByTestId("plan-name")).toHaveText("Pro");
  await expect(page.getByTestId("plan-status")).toHaveText("active");

  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("e2e key");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-key-value").textContent())!.trim();
  expect(key).toMatch(/^nwu_[0-9A-Za-z]{43}$/);

  const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const ok = await api.get("/api/v1/contributions?limit=1");
  expect(ok.status()).toBe(200);
  expect(ok.headers()["ratelimit-limit"]).toBe("50");
  // The burst window is fixed (50 per 10 s, on the database clock): sequential requests on a busy
  // machine can spread over two windows, so each try sends one window's worth and more at once.
  let last = ok;
  let accepted = 1;
  for (let round = 0; round < 5 && last.status() !== 429; round++) {
    const answers = await Promise.all(Array.from({ length: 60 }, () => api.get("/api/v1/contributions?limit=1")));
    accepted += answers.filter((r) => r.status() === 200).length;
    last = answers.find((r) => r.status() === 429) ?? last;
  }
  expect(last.status()).toBe(429);
  expect(last.headers()["retry-after"]).toMatch(/^\d+$/);
  expect(last.headers()["ratelimit-remaining"]).toBe("0");
  expect(last.headers()["content-type"]).toContain("application/problem+json");

  // The billing period counted exactly the accepted requests (the rate-limited ones are not billed).
  await page.goto("/billing");
  await expect(page.getByTestId("usage-requests")).toHaveText(accepted.toLocaleString("en-US"));
  await expect(page.getByTestId("usage-billed")).toContainText("0 ($0.00)");
  for (const [name, size] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    await test.info().attach(`billing-${name}`, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Revoke e2e key" }).click();
  await expect(page.getByRole("row", { name: /e2e key/ })).toContainText("revoked");
  expect((await api.get("/api/v1/contributions?limit=1")).status()).toBe(401);
  await api.dispose();
});

/** A setting's name as the configuration spells it (STRIPE_SECRET_KEY, DATABASE_URL…). */
const SETTING_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/;

test("Pricing shows the plan Billing shows: Pro for the seeded Pro contributor, Free for another; no setting names on either", async ({ asContributor, asOtherContributor, page }) => {
  for (const [persona, plan] of [[asContributor, "Pro"], [asOtherContributor, "Free"]] as const) {
    await persona.page.goto("/billing");
    await expect(persona.page.getByTestId("plan-name")).toHaveText(plan);
    expect(await persona.page.locator("main").innerText()).not.toMatch(SETTING_NAME);
    await persona.page.goto("/pricing");
    await expect(persona.page.getByTestId("pricing-current-plan")).toHaveText(plan);
    await expect(persona.page.getByTestId(`plan-${plan.toLowerCase()}`)).toContainText("Your plan");
    await expect(persona.page.locator("[data-current]")).toHaveCount(1);
    expect(await persona.page.locator("main").innerText()).not.toMatch(SETTING_NAME);
  }
  await expect(asContributor.page.getByTestId("plan-pro").getByRole("link", { name: "Manage in Billing" })).toHaveAttribute("href", "/billing");
  // A visitor is on no plan: none is marked.
  await page.goto("/pricing");
  await expect(page.locator("[data-current]")).toHaveCount(0);
  expect(await page.locator("main").innerText()).not.toMatch(SETTING_NAME);
});

test("the admin sees a setup checklist of what is configured", async ({ asAdmin: { page } }) => {
  await page.goto("/admin");
  const checklist = page.getByTestId("setup-checklist");
  await expect(checklist).toBeVisible();
  // This server: Stripe (the local fake) and a local chain are configured, and it runs in demo mode.
  await expect(checklist.getByTestId("setup-payments")).toHaveAttribute("data-ready", "true");
  await expect(checklist.getByTestId("setup-payouts")).toHaveAttribute("data-ready", "true");
  await expect(checklist.getByTestId("setup-demo")).toHaveAttribute("data-ready", "false");
  await expect(checklist.getByTestId("setup-demo")).toContainText("Turn it off before real use");
});
