import { getAddress } from "viem";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { SiteHeader, shortAddress } from "./pages/site-header";
import { TestWallet } from "./support/wallet";

const contributor = DEMO_ACCOUNTS[3];
const other = DEMO_ACCOUNTS[4];

test("sign in with an injected wallet, stay signed in across reloads and tabs, sign out everywhere", async ({ context, page }) => {
  const wallet = await new TestWallet(page, contributor.privateKey).install();
  const header = new SiteHeader(page);
  await page.goto("/");
  await header.expectSignedOut();

  await header.signIn(wallet.address);
  await expect(header.accountButton).toHaveAttribute("title", getAddress(contributor.address));

  await page.reload();
  await expect(header.accountButton).toHaveText(shortAddress(wallet.address));

  await page.goto("/dashboard");
  await expect(page.getByTestId("dashboard-address")).toHaveText(getAddress(contributor.address));

  const second = await context.newPage();
  await new TestWallet(second, contributor.privateKey).install();
  const secondHeader = new SiteHeader(second);
  await second.goto("/");
  await expect(secondHeader.accountButton).toHaveText(shortAddress(wallet.address));

  await header.signOut();
  // The other tab hears about it without a reload…
  await secondHeader.expectSignedOut();
  // …and the old cookie is refused by the server.
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  await second.reload();
  await secondHeader.expectSignedOut();
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Sign in required" })).toBeVisible();
});

test("switching account in the wallet signs the old address out", async ({ page }) => {
  const wallet = await new TestWallet(page, contributor.privateKey).install();
  const header = new SiteHeader(page);
  await page.goto("/");
  await header.signIn(wallet.address);
  await expect(page.locator("html[data-wallet-watch=on]")).toHaveCount(1);
  await wallet.switchAccount(other.privateKey);
  await header.expectSignedOut();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
});

test("a contributor is refused the admin page", async ({ asContributor: { page } }) => {
  const res = await page.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});
