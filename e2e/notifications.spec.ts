import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { UploadPage } from "./pages/upload-page";
import { claimAssignmentOf } from "./support/assignments";

const shot = (p: Page, name: string, fullPage = false) => p.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage });

test("a contributor's decision shows in the bell, live, with its reasons — and the settings page lists every kind", async ({ baseURL, freshContributor, freshVerifiers }) => {
  test.setTimeout(120_000);
  const contributor = await freshContributor();
  const { page } = contributor;
  const marker = `bell-${randomBytes(6).toString("hex")}`;
  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# build ${randomBytes(6).toString("hex")}\n`)]);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Bell text wrapping", type: "code", file: { name: "textwrap.py", mimeType: "text/x-python", buffer: code } });
  await upload.description.fill("Python's textwrap module: wrapping, filling, dedenting and shortening text.");
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;

  // Signed in: the bell is there, with nothing unread yet (the AI agent's sealed vote tells the owner nothing).
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toBeVisible();
  await expect(page.getByTestId("notification-count")).toHaveCount(0);

  const voters = await freshVerifiers(2);
  for (const [i, v] of voters.entries()) {
    await claimAssignmentOf(v.request, baseURL!, id);
    const review = new ReviewPage(v.page);
    await review.goto(id);
    await review.vote(85 + i, `Clear and tested. ${marker}`, { quality: 88, security: 90 });
    if (i === 0) {
      // Sealed: still nothing in the owner's inbox.
      const inbox = (await (await page.request.get("/api/v1/me/notifications")).json()) as { unread: number };
      expect(inbox.unread).toBe(0);
    }
  }

  // The decision reaches the bell without a reload (EventSource on /api/v1/me/events).
  await expect(page.getByTestId("notification-count")).toHaveText("1", { timeout: 20_000 });
  await bell.click();
  const panel = page.getByTestId("notification-panel");
  const item = panel.getByTestId("notification-item").first();
  await expect(item).toContainText("“Bell text wrapping” was verified");
  await expect(item).toContainText(marker);
  await shot(page, "bell-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "bell-phone");
  const box = await panel.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);

  // Following it marks it read and opens the contribution.
  await item.getByRole("link").click();
  await page.waitForURL(new RegExp(`/contributions/${id}$`));
  await expect(page.getByTestId("notification-count")).toHaveCount(0);

  // The whole inbox: the same notification, read now; "Unread" shows nothing.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/notifications");
  const inboxItem = page.getByTestId("inbox-list").getByTestId("notification-item").first();
  await expect(inboxItem).toContainText("“Bell text wrapping” was verified");
  await expect(inboxItem).toContainText(marker);
  await expect(inboxItem).not.toHaveAttribute("data-unread", "true");
  await shot(page, "inbox-desktop", true);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "inbox-phone", true);
  await page.getByRole("link", { name: /^Unread/ }).click();
  await expect(page.getByText("Nothing unread.")).toBeVisible();

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/settings/notifications");
  await expect(page.getByTestId("preferences-table").locator("tbody tr")).toHaveCount(6);
  await expect(page.getByTestId("email-settings")).toContainText("This server sends no e-mail");
  await shot(page, "settings-desktop", true);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "settings-phone", true);
});
