import { expect, type Locator, type Page } from "@playwright/test";

/** The Payouts section of /admin. */
export class AdminPayouts {
  readonly payButton: Locator;
  readonly message: Locator;
  readonly batches: Locator;

  constructor(private readonly page: Page) {
    this.payButton = page.getByRole("button", { name: "Pay pending rewards" });
    this.message = page.getByTestId("payout-message");
    this.batches = page.getByTestId("payout-batches");
  }

  async goto() {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { name: "Payouts" })).toBeVisible();
  }

  batch(id: string): Locator {
    return this.batches.locator(`tr[data-batch-id="${id}"]`);
  }
}
