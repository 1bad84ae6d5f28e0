import { expect, type Locator, type Page } from "@playwright/test";

/** /settings/webhooks and an endpoint's delivery log. */
export class WebhooksPage {
  readonly form: Locator;
  readonly url: Locator;
  readonly secret: Locator;
  readonly endpoints: Locator;
  readonly deliveries: Locator;

  constructor(private readonly page: Page) {
    this.form = page.getByTestId("webhook-form");
    this.url = page.getByLabel("URL");
    this.secret = page.getByTestId("webhook-secret-value");
    this.endpoints = page.getByTestId("webhook-endpoint");
    this.deliveries = page.getByTestId("delivery-row");
  }

  async goto() {
    await this.page.goto("/settings/webhooks");
    await expect(this.page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  }

  /** Registers `url` for `events` (unchecking the defaults first); returns the secret shown once. */
  async register(url: string, events: string[]): Promise<string> {
    await this.url.fill(url);
    for (const box of await this.form.getByRole("checkbox").all()) await box.uncheck();
    for (const e of events) await this.form.getByRole("checkbox", { name: new RegExp(`^${e.replace(".", "\\.")}\\b`) }).check();
    await this.form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(this.secret).toHaveText(/^whsec_/);
    return (await this.secret.textContent())!;
  }

  endpoint(url: string): Locator {
    return this.endpoints.filter({ hasText: url });
  }
}
