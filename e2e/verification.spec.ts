import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { UploadPage } from "./pages/upload-page";
import { claimAssignmentOf } from "./support/assignments";

test("upload → the AI agent votes within seconds → two assigned verifiers vote, sealed → verified with a reward, live on the contributor's page", async ({ baseURL, asContributor: contributor, asVerifier, asVerifier2 }) => {
  const { page } = contributor;

  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# build ${randomBytes(6).toString("hex")}\n`)]);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Text wrapping", type: "code", file: { name: "textwrap.py", mimeType: "text/x-python", buffer: code } });
  await upload.description.fill("Python's textwrap module: wrapping, filling, dedenting and shortening text, with its TextWrapper class.");
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-connected", "true");

  // The built-in agent's vote arrives by itself, pushed to the open page.
  await expect(page.getByTestId("verification-count")).toHaveText("1", { timeout: 15_000 });
  await expect(page.getByTestId("status-badge")).toHaveText("verifying");

  // Sealed: the AI's vote is in, but nobody sees its score, nor a running one.
  await expect(page.getByTestId("quality-score")).toHaveText("—");
  const sealedRows = (p: typeof page) => p.getByTestId("verifications-table").locator('tr[data-sealed="true"]');

  for (const [i, verifier] of [asVerifier, asVerifier2].entries()) {
    const vpage = verifier.page;
    // Assigned, not picked: the verifier takes assignments until this one comes up.
    await claimAssignmentOf(verifier.request, baseURL!, id);
    await vpage.goto("/verify");
    await expect(vpage.getByTestId("assignments").getByRole("link", { name: "Text wrapping" })).toBeVisible();
    // Before voting, every vote in is sealed to them: no score, no voter, only its commitment.
    await vpage.goto(`/contributions/${id}`);
    await expect(sealedRows(vpage)).toHaveCount(i + 1);
    await expect(vpage.getByTestId("verifications-table")).not.toContainText("Clear, documented");
    const review = new ReviewPage(vpage);
    await review.goto(id);
    await expect(vpage.getByTestId("preview-code")).toContainText("Text wrapping and filling.");
    await review.vote(90 - i * 5, "Clear, documented and tested code.", { quality: 90, security: 95 });
    await expect(vpage.getByRole("status")).toContainText("You have voted on this contribution");
    if (i === 0) {
      // Their own vote is shown to them; the others stay sealed.
      await vpage.goto(`/contributions/${id}`);
      await expect(vpage.getByTestId("verifications-table").locator('tr[data-sealed="own"]')).toContainText("90");
      await expect(sealedRows(vpage)).toHaveCount(1);
      await verifier.context.close();
    }
    // The contributor's page follows every vote without a reload.
    await expect(page.getByTestId("verification-count")).toHaveText(String(i + 2));
  }

  await expect(page.getByTestId("status-badge")).toHaveText("verified");
  await expect(page.getByTestId("quality-score")).not.toHaveText("—");
  // Decided: every vote is revealed, to the second verifier too.
  await asVerifier2.page.goto(`/contributions/${id}`);
  await expect(sealedRows(asVerifier2.page)).toHaveCount(0);
  await expect(asVerifier2.page.getByTestId("verifications-table").locator("tbody tr")).toHaveCount(3);
  await expect(asVerifier2.page.getByTestId("verifications-table")).toContainText("Clear, documented and tested code.");
  await expect(page.getByTestId("reward")).toHaveText(/^\d+\.\d{1,2} NWU$/);
  const detail = await (await page.request.get(`/api/v1/contributions/${id}`)).json();
  expect(detail).toMatchObject({ status: "verified", verification_count: 3, reward: { status: "pending" } });
  const stats = await (await page.request.get(`/api/v1/users/${contributor.address}/stats`)).json();
  expect(stats.contributions.verified).toBeGreaterThanOrEqual(1);
});

test("a verifier cannot vote on their own work, and contributors have no verify page", async ({ asContributor: { page } }) => {
  const res = await page.goto("/verify");
  expect(res?.status()).toBe(403);
});
