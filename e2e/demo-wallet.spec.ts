import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { SiteHeader, shortAddress } from "./pages/site-header";
import { TestWallet } from "./support/wallet";

/**
 * Issue 17 §1, trying the app without a wallet: demo mode's burner wallet and role switch, and a
 * connect dialog that offers only wallets that exist. The e2e server runs in demo mode; a second
 * instance (demo mode off, a WalletConnect project id set) shows what a real deployment offers.
 */
const [ADMIN, VERIFIER, CONTRIBUTOR] = [DEMO_ACCOUNTS[0], DEMO_ACCOUNTS[1], DEMO_ACCOUNTS[3]].map((a) => getAddress(a.address)) as [string, string, string];

const sessionOf = async (page: Page) => (await page.request.get("/api/auth/session")).json() as Promise<{ address: string; roles: string[]; chainId: number }>;

/** Desktop and phone screenshots of the page as it is, attached to the report (test-results/). */
async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const before = page.viewportSize();
  for (const [size, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    const file = testInfo.outputPath(`${name}-${size}.png`);
    await page.screenshot({ path: file });
    await testInfo.attach(`${name}-${size}`, { path: file, contentType: "image/png" });
  }
  if (before) await page.setViewportSize(before);
}

async function expectAccessible(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test.describe("demo mode", () => {
  test("the demo wallet signs in with no wallet installed, and keeps its key across reloads", async ({ page }, testInfo) => {
    const header = new SiteHeader(page);
    await page.goto("/");
    await expect(header.demoBadge).toHaveText("Demo");
    await shoot(page, testInfo, "header-demo-badge");
    await header.openDialog();
    // No extension here: the dialog says what to do instead of offering a wallet that is not there.
    await expect(header.dialog.getByTestId("no-wallet")).toContainText("No wallet found in this browser. Install a wallet extension");
    await expect(header.dialog.getByTestId("no-wallet")).toContainText("demo wallet");
    await expect(header.dialog.getByRole("button", { name: /Browser wallet|Injected|WalletConnect|Coinbase/ })).toHaveCount(0);
    await expectAccessible(page);
    await shoot(page, testInfo, "dialog-no-wallet-demo");
    await header.dialog.getByRole("button", { name: "Cancel" }).click();

    const address = await header.signInWithDemoWallet();
    expect(DEMO_ACCOUNTS.map((a) => a.address)).not.toContain(address.toLowerCase());
    // The key was made in this browser and stays in it; the session is an ordinary SIWE one for its address.
    const key = await page.evaluate(() => localStorage.getItem("nwu.demoWallet.key"));
    expect(privateKeyToAccount(key as `0x${string}`).address).toBe(address);
    expect(await sessionOf(page)).toMatchObject({ address, roles: ["contributor"] });

    await page.reload();
    // The wallet watcher reconnects the demo wallet (same address): the session stays.
    await expect(page.locator("html[data-wallet-watch=on]")).toHaveCount(1);
    await expect(header.accountButton).toHaveAttribute("title", address);
    await header.signOut();
    await page.reload();
    expect(await header.signInWithDemoWallet()).toBe(address);
  });

  test("the role switch signs in as admin, verifier and contributor; header and nav follow", async ({ page }, testInfo) => {
    const header = new SiteHeader(page);
    const link = (name: string) => header.nav.getByRole("link", { name, exact: true });
    await page.goto("/");
    await header.signInAsDemo("verifier", VERIFIER);
    await expect(link("Verify")).toBeVisible();
    await expect(link("Admin")).toHaveCount(0);
    expect((await sessionOf(page)).roles.sort()).toEqual(["contributor", "verifier"]);

    await header.switchRole("admin", ADMIN);
    await expect(link("Admin")).toBeVisible();
    await expect(link("Verify")).toBeVisible();
    expect((await sessionOf(page)).roles.sort()).toEqual(["admin", "contributor", "verifier"]);
    await header.accountButton.click();
    await expect(page.getByRole("menuitemradio", { name: "Demo admin" })).toHaveAttribute("aria-checked", "true");
    await expectAccessible(page);
    await shoot(page, testInfo, "account-menu-role-switch");
    await page.getByRole("menuitem", { name: "Admin" }).click();
    await expect(page).toHaveURL(/\/admin$/);

    await header.switchRole("contributor", CONTRIBUTOR);
    await expect(link("Admin")).toHaveCount(0);
    await expect(link("Verify")).toHaveCount(0);
    // The page re-renders for the new role: the admin page now refuses.
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    expect(await sessionOf(page)).toMatchObject({ address: CONTRIBUTOR, roles: ["contributor"] });
  });

  test("a demo role's session survives a connected demo wallet (it belongs to no wallet)", async ({ page }) => {
    const header = new SiteHeader(page);
    await page.goto("/");
    await header.signInWithDemoWallet();
    await header.switchRole("admin", ADMIN);
    await page.reload();
    await expect(header.accountButton).toHaveText(shortAddress(ADMIN));
    // Nothing watches the demo wallet now: the admin session is not ended for its different address.
    await page.waitForTimeout(1_000);
    await expect(page.locator("html[data-wallet-watch]")).toHaveCount(0);
    expect((await sessionOf(page)).address).toBe(ADMIN);
  });

  test("with a browser wallet the dialog lists it, beside the demo choices", async ({ page }) => {
    await new TestWallet(page, generatePrivateKey()).install();
    const header = new SiteHeader(page);
    await page.goto("/");
    await header.openDialog();
    await expect(header.dialog.getByRole("button", { name: "Test Wallet" })).toBeVisible();
    await expect(header.dialog.getByTestId("no-wallet")).toHaveCount(0);
    // The announcing wallet is window.ethereum too: not offered twice. Nothing unconfigured either.
    await expect(header.dialog.getByRole("button", { name: /Browser wallet|WalletConnect|Coinbase/ })).toHaveCount(0);
    await expect(header.dialog.getByRole("button", { name: "Try with a demo wallet" })).toBeVisible();
    for (const role of ["admin", "verifier", "contributor"]) await expect(header.dialog.getByRole("button", { name: `Sign in as demo ${role}` })).toBeVisible();
  });

  test("a legacy wallet (window.ethereum, no EIP-6963 announcement) is offered as the browser wallet", async ({ page }) => {
    const wallet = await new TestWallet(page, generatePrivateKey(), { announce: false }).install();
    const header = new SiteHeader(page);
    await page.goto("/");
    await header.signIn(wallet.address, "Browser wallet");
  });

  test("a wallet on a chain we do not accept is offered Switch network, then signs in", async ({ page }, testInfo) => {
    const wallet = await new TestWallet(page, generatePrivateKey(), { chainId: 137 }).install();
    const header = new SiteHeader(page);
    await page.goto("/");
    await header.openDialog();
    await header.dialog.getByRole("button", { name: "Test Wallet" }).click();
    const offer = header.dialog.getByTestId("network-switch");
    await expect(offer).toContainText("It is on Polygon");
    await shoot(page, testInfo, "dialog-switch-network");
    await offer.getByRole("button", { name: "Switch network to Sepolia" }).click();
    await expect(header.accountButton).toHaveText(shortAddress(wallet.address));
    expect(await sessionOf(page)).toMatchObject({ address: wallet.address, chainId: 11155111 });
  });
});

// ---------------------------------------------------------------------------------------------
// A deployment: demo mode off, WalletConnect configured (read per request: no second build).

const OTHER_PORT = Number(process.env.E2E_NO_DEMO_PORT ?? 3214);
const OTHER = `http://127.0.0.1:${OTHER_PORT}`;
const PROJECT_ID = "0123456789abcdef0123456789abcdef";
let other: ChildProcess | undefined;

test.describe("outside demo mode, with a WalletConnect project id", () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_MODE: "off", SEED_DEMO: "off", WORKERS: "off", NODE_ENV: "production", NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: PROJECT_ID };
    if (process.env.DATABASE_URL) {
      // The e2e server's database (scripts/e2e-server.ts): already migrated.
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `${url.pathname}_e2e`;
      env.DATABASE_URL = url.toString();
    } else {
      // The embedded database serves one process: a fresh one of its own.
      env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "nwu-e2e-nodemo-"));
      const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env, stdio: "ignore" });
      if (prepared.status !== 0) throw new Error("preparing the second instance's database failed");
    }
    other = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(OTHER_PORT), "-H", "127.0.0.1"], { env, stdio: "ignore" });
    for (let i = 0; i < 200; i++) {
      if (other.exitCode !== null) throw new Error(`the second instance exited (${other.exitCode}); is port ${OTHER_PORT} free?`);
      if (await fetch(`${OTHER}/api/health`).then((r) => r.ok).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error("the second instance did not start");
  });

  test.afterAll(() => {
    other?.kill("SIGTERM");
  });

  test("no Demo badge, no demo choices, no role switch; WalletConnect and Coinbase Wallet are offered", async ({ page, request }, testInfo) => {
    const header = new SiteHeader(page);
    await page.goto(`${OTHER}/`);
    await expect(header.connectButton).toBeVisible();
    await expect(header.demoBadge).toHaveCount(0);
    await header.openDialog();
    await expect(header.dialog.getByRole("button", { name: "WalletConnect" })).toBeVisible();
    await expect(header.dialog.getByRole("button", { name: "Coinbase Wallet" })).toBeVisible();
    await expect(header.dialog.getByTestId("no-wallet")).toContainText("or connect a phone wallet with WalletConnect");
    await expect(header.dialog.getByTestId("no-wallet")).not.toContainText("demo");
    await expect(header.dialog.getByRole("button", { name: /demo/i })).toHaveCount(0);
    await shoot(page, testInfo, "dialog-no-wallet-walletconnect");
    // The page lets the connectors reach their relays (Reown's CSP guidance) and Coinbase's popup talk back.
    const headers = (await request.get(`${OTHER}/`)).headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toMatch(/connect-src [^;]*wss:\/\/relay\.walletconnect\.org/);
    expect(csp).toMatch(/connect-src [^;]*wss:\/\/www\.walletlink\.org/);
    expect(csp).toMatch(/frame-src [^;]*https:\/\/verify\.walletconnect\.org/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin-allow-popups");
    // The role switch does not exist here, even from our own origin.
    const res = await request.post(`${OTHER}/api/demo/session`, { data: { role: "admin" }, headers: { origin: OTHER } });
    expect(res.status()).toBe(404);
    expect(res.headers()["set-cookie"]).toBeUndefined();
  });
});
