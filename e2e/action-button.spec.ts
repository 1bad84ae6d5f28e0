import { randomBytes } from "node:crypto";

import { expect, test } from "./fixtures";

/** components/action-button.tsx through the moderation panel: the server's refusal is shown, a success refreshes. */
test("an action button shows the server's refusal, stays usable, and reports a success", async ({ asOtherContributor: owner, asAdmin: { page } }) => {
  const created = await owner.request.post("/api/v1/contributions", {
    multipart: { title: "Moderated", file_type: "document", file: { name: "note.txt", mimeType: "text/plain", buffer: Buffer.from(`moderate me ${randomBytes(6).toString("hex")}\n`) } },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;

  await page.goto(`/contributions/${id}`);
  const panel = page.getByTestId("moderation");
  await page.waitForLoadState("networkidle"); // hydrated: the click runs the action from the page's own code

  // No reason: the action refuses, and the panel says why (the field error, not a silent no-op).
  await panel.getByRole("button", { name: "Halt" }).click();
  await expect(panel.getByRole("alert")).toHaveText("Give a reason (3+ characters)");
  await expect(panel.getByRole("button", { name: "Halt" })).toBeEnabled();

  await panel.getByLabel("Reason (recorded in the audit log)").fill("Off-topic upload");
  await panel.getByRole("button", { name: "Halt" }).click();
  await expect(panel.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(panel.getByRole("alert")).toHaveCount(0);
  await expect(page.getByTestId("status-badge").first()).toHaveText("halted");
});
