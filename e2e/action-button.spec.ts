import { randomBytes } from "node:crypto";

import { expect, test } from "./fixtures";

/** components/action-button.tsx through the moderation panel: halt is confirmed first, the server's refusal is shown, a success refreshes. */
test("halt asks for confirmation; an action button shows the server's refusal, stays usable, and reports a success", async ({ asOtherContributor: owner, asAdmin: { page } }) => {
  const created = await owner.request.post("/api/v1/contributions", {
    multipart: { title: "Moderated", file_type: "document", file: { name: "note.txt", mimeType: "text/plain", buffer: Buffer.from(`moderate me ${randomBytes(6).toString("hex")}\n`) } },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;

  await page.goto(`/contributions/${id}`);
  const panel = page.getByTestId("moderation");
  await page.waitForLoadState("networkidle"); // hydrated: the click runs the action from the page's own code

  // Halt asks first: the first click only opens the confirmation, and Cancel (or Escape) leaves everything as it was.
  await panel.getByRole("button", { name: "Halt…" }).click();
  const confirmation = panel.getByTestId("halt-confirmation");
  await expect(confirmation).toContainText("Halt this contribution?");
  await expect(confirmation.getByRole("button", { name: "Confirm halt" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirmation).toHaveCount(0);
  await panel.getByRole("button", { name: "Halt…" }).click();
  await confirmation.getByRole("button", { name: "Cancel" }).click();
  await expect(confirmation).toHaveCount(0);
  await expect(page.getByTestId("status-badge").first()).not.toHaveText("halted");

  // No reason: the action refuses, and the panel says why (the field error, not a silent no-op).
  await panel.getByRole("button", { name: "Halt…" }).click();
  await confirmation.getByRole("button", { name: "Confirm halt" }).click();
  await expect(panel.getByRole("alert")).toHaveText("Give a reason (3+ characters)");
  await expect(confirmation.getByRole("button", { name: "Confirm halt" })).toBeEnabled();

  // The reason can be given with the confirmation still open; the second try halts.
  await panel.getByLabel("Reason (recorded in the audit log)").fill("Off-topic upload");
  await confirmation.getByRole("button", { name: "Confirm halt" }).click();
  await expect(panel.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(panel.getByRole("alert")).toHaveCount(0);
  await expect(page.getByTestId("status-badge").first()).toHaveText("halted");
});
