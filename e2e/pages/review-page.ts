import type { Locator, Page } from "@playwright/test";

export class ReviewPage {
  readonly form: Locator;
  constructor(private readonly page: Page) {
    this.form = page.getByTestId("vote-form");
  }

  async goto(id: string) {
    await this.page.goto(`/verify/${id}`);
  }

  async vote(score: number, reasoning: string, subScores: Record<string, number> = {}) {
    await this.page.getByLabel("Overall score (0–100)").fill(String(score));
    for (const [name, value] of Object.entries(subScores)) await this.page.getByLabel(name[0]!.toUpperCase() + name.slice(1), { exact: true }).fill(String(value));
    await this.page.getByLabel("Reasoning").fill(reasoning);
    await this.page.getByRole("button", { name: "Submit vote" }).click();
  }
}
