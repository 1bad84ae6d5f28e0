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

  /**
   * Pays what is pending and waits until the batch is paid on chain: the batch the action created is
   * on the page (the action revalidates /admin), the job pays it in the background, the list shows it completed.
   */
  async payPendingAndWait() {
    await this.page.waitForLoadState("networkidle"); // hydrated: the click runs the action from the page's own code
    await this.payButton.click();
    await expect(this.batches.locator("tr[data-status]").first()).toBeVisible({ timeout: 15_000 });
    await expect(async () => {
      await this.page.reload();
      await expect(this.batches.locator("tr[data-status]").first()).toHaveAttribute("data-status", "completed", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }

  batch(id: string): Locator {
    return this.batches.locator(`tr[data-batch-id="${id}"]`);
  }
}
