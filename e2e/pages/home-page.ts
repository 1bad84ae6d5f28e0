import type { Locator, Page } from "@playwright/test";

export class HomePage {
  readonly heading: Locator;
  readonly mainNav: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.mainNav = page.getByRole("navigation", { name: "Main" });
  }

  async goto() {
    await this.page.goto("/");
  }

  /** Every same-origin link on the page (header, body and footer). */
  async internalLinks(): Promise<string[]> {
    const hrefs = await this.page.locator("a[href^='/']").evaluateAll((els) => els.map((a) => a.getAttribute("href")!));
    return [...new Set(hrefs.map((h) => h.split("#")[0]!).filter(Boolean))];
  }
}
