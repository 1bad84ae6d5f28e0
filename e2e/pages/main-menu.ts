import type { Locator, Page } from "@playwright/test";

/** The header's main navigation: a row of links on wide screens, a menu button and a panel on phones. */
export class MainMenu {
  readonly nav: Locator;
  readonly button: Locator;
  readonly list: Locator;

  constructor(page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.button = this.nav.getByRole("button", { name: "Menu" });
    // By tag, not role: while folded the list is display:none, out of the accessibility tree.
    this.list = this.nav.locator("ul");
  }

  link(name: string): Locator {
    return this.nav.getByRole("link", { name, exact: true });
  }
}
