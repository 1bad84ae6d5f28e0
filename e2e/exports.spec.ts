import { parse } from "csv-parse/sync";

import { expect, test } from "./fixtures";

/**
 * Exports from the UI (issue 19 §3): an admin picks a dataset, range, status and format on /admin
 * and downloads the file the server streams; any signed-in user downloads their own data from the
 * dashboard. Both show in the admin's recent exports.
 */
test("an admin downloads a CSV from the admin page, and sees it among the recent exports", async ({ asAdmin }) => {
  const { page } = asAdmin;
  await page.goto("/admin");
  const form = page.getByTestId("export-form");
  await form.getByLabel("Dataset").selectOption("contributions");
  await form.getByLabel("From (UTC day)").fill("2000-01-01");
  await form.getByLabel("To (included)").fill("2999-12-31");
  await form.getByLabel("CSV").check();
  const download = page.waitForEvent("download");
  await form.getByTestId("export-download").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^nwu-contributions-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString("utf8");
  const rows = parse(text, { columns: true }) as { id: string; title: string; created_at: string }[];
  expect(rows.length).toBeGreaterThan(0);
  expect(text.split("\r\n")[0]).toMatch(/^id,owner,title,/);
  // Votes filter by no status: the status picker says so.
  await form.getByLabel("Dataset").selectOption("votes");
  await expect(form.getByLabel("Status")).toBeDisabled();
  await page.reload();
  await expect(page.getByTestId("recent-exports").locator("tbody tr").first()).toContainText("contributions");
  await expect(page.getByTestId("recent-exports").locator("tbody tr").first()).toContainText(String(rows.length));
});

test("a start day after the end day offers no download", async ({ asAdmin }) => {
  const { page } = asAdmin;
  await page.goto("/admin");
  await page.waitForLoadState("networkidle"); // hydrated: the days are checked by the page's own code
  const form = page.getByTestId("export-form");
  await form.getByLabel("From (UTC day)").fill("2026-02-02");
  await form.getByLabel("To (included)").fill("2026-02-01");
  await expect(form.getByRole("alert")).toHaveText("The start day is after the end day.");
  await expect(form.getByRole("button", { name: "Download" })).toBeDisabled();
});

test("a user downloads their own data from the dashboard: only theirs", async ({ asContributor, asOtherContributor }) => {
  const { page } = asContributor;
  await page.goto("/dashboard");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^nwu-my-data-0x[0-9a-f]{40}-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(Buffer.concat(await (await file.createReadStream()).toArray()).toString("utf8")) as {
    profile: { address: string };
    contributions: { owner: string }[];
    api_keys: Record<string, unknown>[];
  };
  expect(data.profile.address).toBe(asContributor.address.toLowerCase());
  expect(data.contributions.length).toBeGreaterThan(0);
  expect(data.contributions.every((c) => c.owner === asContributor.address.toLowerCase())).toBe(true);
  expect(JSON.stringify(data)).not.toContain(asOtherContributor.address.toLowerCase());
  for (const k of data.api_keys) expect(Object.keys(k)).not.toContain("key_hash");
});
