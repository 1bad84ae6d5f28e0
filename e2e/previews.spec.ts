import { readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { UploadPage } from "./pages/upload-page";

const fixture = (path: string) => readFileSync(path);

/** The preview job runs after the upload: reload until its result is on the page. */
async function previewReady(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("preview-pending")).toHaveCount(0);
  }).toPass({ timeout: 30_000 });
}

test("a Parquet dataset is previewed as a table, paged 100 rows at a time; a PDF shows its pages and first page's text", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const upload = new UploadPage(page);
  await upload.upload({ title: "Weather readings (Parquet)", type: "dataset", file: { name: "readings.parquet", mimeType: "application/octet-stream", buffer: fixture("lib/verification/agents/alpha/fixtures/good-dataset.parquet") } });
  await previewReady(page);
  await expect(page.getByTestId("table-sample")).toContainText("PARQUET: 8 columns");
  await expect(page.getByTestId("preview-table").getByRole("row")).toHaveCount(101);
  const nav = page.getByTestId("rows-nav");
  await expect(nav).toContainText("Rows 1–100 of 2,000");
  await nav.getByRole("link", { name: "Next 100 rows →" }).click();
  await expect(page).toHaveURL(/\?rows=100$/);
  await expect(nav).toContainText("Rows 101–200 of 2,000");
  const csv = readFileSync("lib/verification/agents/alpha/fixtures/good-dataset.csv", "utf8").split(/\r?\n/);
  // Row 101 of the table is line 102 of the same data as CSV (the header is line 1).
  await expect(page.getByTestId("preview-table").getByRole("row").nth(1)).toContainText(csv[101]!.split(",")[1]!);
  await nav.getByRole("link", { name: "← Previous 100 rows" }).click();
  await expect(nav).toContainText("Rows 1–100 of 2,000");

  await upload.upload({ title: "Field report (PDF)", type: "document", file: { name: "report.pdf", mimeType: "application/pdf", buffer: fixture("test/fixtures/formats/report.pdf") } });
  await previewReady(page);
  await expect(page.getByTestId("preview-pdf")).toContainText("PDF, 3 pages");
  await expect(page.getByTestId("preview-pdf")).toContainText("Field report: river gauges");
});
