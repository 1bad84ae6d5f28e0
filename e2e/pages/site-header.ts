import { expect, type Locator, type Page } from "@playwright/test";

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

export class SiteHeader {
  readonly connectButton: Locator;
  readonly accountButton: Locator;
  readonly dialog: Locator;
  readonly demoBadge: Locator;
  readonly nav: Locator;

  constructor(private readonly page: Page) {
    this.connectButton = page.getByTestId("connect-wallet");
    this.accountButton = page.getByTestId("account-button");
    this.dialog = page.getByTestId("wallet-dialog");
    this.demoBadge = page.getByTestId("demo-badge");
    this.nav = page.getByRole("navigation", { name: "Main" });
  }

  async openDialog() {
    await this.connectButton.click();
    await expect(this.dialog).toBeVisible();
  }

  /** Demo mode: the browser's own burner key signs in; returns the address it signed in as. */
  async signInWithDemoWallet(): Promise<string> {
    await this.openDialog();
    await this.dialog.getByRole("button", { name: "Try with a demo wallet" }).click();
    await expect(this.accountButton).toBeVisible();
    return (await this.accountButton.getAttribute("title"))!;
  }

  /** Demo mode: sign in as a seeded demo role from the connect dialog. */
  async signInAsDemo(role: "admin" | "verifier" | "contributor", address: string) {
    await this.openDialog();
    await this.dialog.getByRole("button", { name: `Sign in as demo ${role}` }).click();
    await expect(this.accountButton).toHaveText(shortAddress(address));
  }

  /** Demo mode: switch role from the account menu. */
  async switchRole(role: "admin" | "verifier" | "contributor", address: string) {
    await this.accountButton.click();
    await this.page.getByRole("menuitemradio", { name: `Demo ${role}` }).click();
    await expect(this.accountButton).toHaveText(shortAddress(address));
  }

  /** Connect the injected wallet and sign the SIWE message. */
  async signIn(address: string, walletName = "Test Wallet") {
    await this.openDialog();
    await this.dialog.getByRole("button", { name: walletName }).click();
    await expect(this.accountButton).toHaveText(shortAddress(address));
  }

  async signOut() {
    await this.accountButton.click();
    await this.page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(this.connectButton).toBeVisible();
  }

  async expectSignedOut() {
    await expect(this.connectButton).toBeVisible();
    await expect(this.accountButton).toHaveCount(0);
  }
}
