import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { SiteHeader } from "./pages/site-header";
import { UploadPage } from "./pages/upload-page";
import { TestWallet } from "./support/wallet";

const contributor = DEMO_ACCOUNTS[3];
const verifiers = [DEMO_ACCOUNTS[1], DEMO_ACCOUNTS[2]];

test("upload → the AI agent votes within seconds → two verifiers vote → verified with a reward, live on the contributor's page", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  const wallet = await new TestWallet(page, contributor.privateKey).install();
  await page.goto("/");
  await new SiteHeader(page).signIn(wallet.address);

  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# build ${randomBytes(6).toString("hex")}\n`)]);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Running statistics", type: "code", file: { name: "stats.py", mimeType: "text/x-python", buffer: code } });
  await upload.description.fill("Welford's online mean and variance, and a moving average, with tests in __main__.");
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-connected", "true");

  // The built-in agent's vote arrives by itself, pushed to the open page.
  await expect(page.getByTestId("verification-count")).toHaveText("1", { timeout: 15_000 });
  await expect(page.getByTestId("status-badge")).toHaveText("verifying");

  for (const [i, verifier] of verifiers.entries()) {
    const context = await browser.newContext();
    const vpage = await context.newPage();
    const vwallet = await new TestWallet(vpage, verifier.privateKey).install();
    await vpage.goto("/");
    await new SiteHeader(vpage).signIn(vwallet.address);
    await vpage.goto("/verify");
    await expect(vpage.getByRole("link", { name: "Running statistics" })).toBeVisible();
    const review = new ReviewPage(vpage);
    await review.goto(id);
    await expect(vpage.getByTestId("preview-text")).toContainText("Welford's online algorithm");
    await review.vote(90 - i * 5, "Clear, documented and tested code.", { quality: 90, security: 95 });
    await expect(vpage.getByRole("status")).toContainText("You have voted on this contribution");
    await context.close();
    // The contributor's page follows every vote without a reload.
    await expect(page.getByTestId("verification-count")).toHaveText(String(i + 2));
  }

  await expect(page.getByTestId("status-badge")).toHaveText("verified");
  await expect(page.getByTestId("reward")).toHaveText(/^\d+\.\d{1,2} NWU$/);
  const detail = await (await page.request.get(`/api/v1/contributions/${id}`)).json();
  expect(detail).toMatchObject({ status: "verified", verification_count: 3, reward: { status: "pending" } });
  const stats = await (await page.request.get(`/api/v1/users/${contributor.address}/stats`)).json();
  expect(stats.contributions.verified).toBeGreaterThanOrEqual(1);
  await ownerContext.close();
});

test("a verifier cannot vote on their own work, and contributors have no verify page", async ({ page }) => {
  const wallet = await new TestWallet(page, contributor.privateKey).install();
  await page.goto("/");
  await new SiteHeader(page).signIn(wallet.address);
  const res = await page.goto("/verify");
  expect(res?.status()).toBe(403);
});
