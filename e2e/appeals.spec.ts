import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { UploadPage } from "./pages/upload-page";
import { claimAssignmentOf } from "./support/assignments";

test("a contributor appeals a rejection; a fresh panel, sealed, overturns it: verified with one reward", async ({ baseURL, freshContributor, freshVerifiers }) => {
  test.setTimeout(120_000);
  const contributor = await freshContributor();
  const { page } = contributor;
  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# build ${randomBytes(6).toString("hex")}\n`)]);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Text wrapping (appealed)", type: "code", file: { name: "textwrap.py", mimeType: "text/x-python", buffer: code } });
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;

  // First round: the AI and two verifiers who misjudge it.
  const [first, panel] = [await freshVerifiers(2), await freshVerifiers(3)];
  for (const v of first) {
    await claimAssignmentOf(v.request, baseURL!, id);
    const review = new ReviewPage(v.page);
    await review.goto(id);
    await review.vote(20, "Looks incomplete to me, not enough here.");
    await expect(v.page.getByRole("status")).toContainText("You have voted on this contribution");
  }
  await page.reload();
  await expect(page.getByTestId("status-badge")).toHaveText("rejected", { timeout: 20_000 });

  // The owner appeals, once.
  const form = page.getByTestId("appeal-form");
  await form.getByLabel("Why the rejection is wrong").fill("The module is complete: mean, variance and a moving average, each tested in __main__.");
  await form.getByRole("button", { name: "Submit appeal" }).click();
  await expect(page.getByTestId("status-badge")).toHaveText("appealed");
  await expect(page.getByTestId("appeal-status")).toContainText("Under appeal");
  await expect(page.getByTestId("timeline")).toContainText("appealed");
  const again = await page.request.post(`/api/v1/contributions/${id}/appeal`, { headers: { origin: baseURL! }, data: { statement: "once more" } });
  expect(again.status()).toBe(409);

  // First-round voters are not on the panel; three fresh verifiers are.
  const firstClaim = await first[0]!.request.post("/api/v1/assignments", { headers: { origin: baseURL! } });
  expect(((await firstClaim.json()) as { assignment: { contribution_id: string } | null }).assignment?.contribution_id).not.toBe(id);
  for (const [i, v] of panel.entries()) {
    await claimAssignmentOf(v.request, baseURL!, id);
    const review = new ReviewPage(v.page);
    await review.goto(id);
    await expect(v.page.getByTestId("review-appeal")).toContainText("each tested in __main__");
    await review.vote(85 + i, "Complete and tested; the first round missed the tests.");
    await expect(v.page.getByRole("status")).toContainText("You have voted on this contribution");
    if (i < 2) {
      // The panel's votes are sealed until it decides; the first round's stay revealed.
      const votes = (await (await page.request.get(`/api/v1/contributions/${id}/verifications`)).json()) as { items: { sealed: boolean; vote_score?: number }[] };
      expect(votes.items.filter((x) => x.sealed && x.vote_score === undefined)).toHaveLength(i + 1);
      expect(votes.items.filter((x) => !x.sealed && x.vote_score === 20)).toHaveLength(2);
    }
  }

  await page.reload();
  await expect(page.getByTestId("status-badge")).toHaveText("verified");
  await expect(page.getByTestId("appeal-status")).toContainText("overturned");
  await expect(page.getByTestId("timeline")).toContainText("appeal overturned");
  await expect(page.getByTestId("reward")).toHaveText(/^\d+\.\d{1,2} NWU$/);
  const detail = await (await page.request.get(`/api/v1/contributions/${id}`)).json();
  expect(detail).toMatchObject({ status: "verified", appeal: { status: "overturned" }, decision: { round: 2 }, reward: { status: "pending" } });
  const rewards = (await (await page.request.get(`/api/v1/users/${contributor.address}/rewards`)).json()) as { items: { contribution_id: string }[] };
  expect(rewards.items.filter((r) => r.contribution_id === id)).toHaveLength(1);
});
