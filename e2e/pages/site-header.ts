import { expect, type Locator, type Page } from "@playwright/test";

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

export class SiteHeader {
  readonly connectButton: Locator;
  readonly accountButton: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.connectButton = page.getByTestId("connect-wallet");
    this.accountButton = page.getByTestId("account-button");
    this.dialog = page.getByTestId("wallet-dialog");
  }

  /** Connect the injected wallet and sign the SIWE message. */
  async signIn(address: string, walletName = "Test Wallet") {
    await this.connectButton.click();
    await expect(this.dialog).toBeVisible();
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
