import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { UploadPage } from "./pages/upload-page";
import { claimAssignmentOf } from "./support/assignments";

/** Screenshots written by the run, beside its other results (test-results/), to be looked at. */
const shot = (p: Page, name: string, fullPage = true) => p.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage });

/** Marks the document: the mark survives anything but a reload or a navigation. */
const markDocument = (p: Page) => p.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
const sameDocument = (p: Page) => p.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

/** Every server-rendered refresh (RSC payload) of the contribution page, as text: what the viewer's browser received. */
async function recordRefreshes(p: Page, id: string): Promise<string[]> {
  const bodies: string[] = [];
  await p.route(
    (url) => url.pathname === `/contributions/${id}`,
    async (route) => {
      if (route.request().headers()["rsc"] !== "1") return route.fallback();
      const response = await route.fetch();
      const body = await response.text();
      bodies.push(body);
      await route.fulfill({ response, body });
    },
  );
  return bodies;
}

const reputationOf = async (p: Page, address: string) => ((await (await p.request.get(`/api/v1/users/${address}/stats`)).json()) as { reputation: number }).reputation;

test("a contribution page follows every vote live — sealed while open, revealed at the decision with its reasons and reward — and the deciding verifier sees the verdict and their reputation move", async ({
  baseURL,
  browser,
  asContributor: contributor,
  freshVerifiers,
}) => {
  test.setTimeout(120_000);
  const { page } = contributor;
  const marker = `sealed-${randomBytes(6).toString("hex")}`;

  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# build ${randomBytes(6).toString("hex")}\n`)]);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Live text wrapping", type: "code", file: { name: "textwrap.py", mimeType: "text/x-python", buffer: code } });
  await upload.description.fill("Python's textwrap module: wrapping, filling, dedenting and shortening text, with its TextWrapper class.");
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;

  // The owner's page and an anonymous visitor's, both left open from here on.
  const visitorContext = await browser.newContext({ baseURL });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/contributions/${id}`);
  const watchers = [page, visitor];
  const received = await Promise.all(watchers.map((p) => recordRefreshes(p, id)));
  for (const p of watchers) {
    await expect(p.getByTestId("live-status")).toHaveAttribute("data-connected", "true");
    await markDocument(p);
  }

  const sealedRows = (p: Page) => p.getByTestId("verifications-table").locator('tr[data-sealed="true"]');
  const ballotEntries = (p: Page) => p.getByTestId("timeline").locator("li", { hasText: "ballot cast" });
  const expectSealed = async (p: Page, votes: number) => {
    await expect(p.getByTestId("verification-count")).toHaveText(String(votes), { timeout: 15_000 });
    await expect(sealedRows(p)).toHaveCount(votes);
    // The first ballot moved it to verifying; each later one is a "ballot cast" entry with its commitment.
    await expect(ballotEntries(p)).toHaveCount(votes - 1);
    await expect(p.getByTestId("quality-score")).toHaveText("—");
    await expect(p.getByTestId("verifications-table")).not.toContainText(marker);
    await expect(p.getByTestId("ballot-salt")).toHaveCount(0);
    await expect(p.getByTestId("verdict")).toHaveCount(0);
  };

  // The AI agent's vote arrives by itself: both pages show it, sealed, without a reload.
  for (const p of watchers) {
    await expectSealed(p, 1);
    await expect(p.getByTestId("timeline")).toContainText("verifying");
  }

  const [first, decider] = await freshVerifiers(2);
  const firstReview = new ReviewPage(first!.page);
  await claimAssignmentOf(first!.request, baseURL!, id);
  await firstReview.goto(id);
  await firstReview.vote(86, `Clear, documented and tested code. ${marker}`, { quality: 88, security: 90 });
  // Their ballot is in and sealed; the page waits for the decision, live.
  await expect(first!.page.getByTestId("vote-outcome")).toHaveAttribute("data-decided", "false");
  await expect(first!.page.getByTestId("outcome-pending")).toContainText("Your vote of 86 is sealed to everyone else. 2 votes in");
  await markDocument(first!.page);

  for (const p of watchers) await expectSealed(p, 2);
  await shot(page, "open-desktop");
  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, "open-phone");
  await shot(first!.page, "review-sealed-desktop");
  // Nothing sealed reached the watchers' browsers in any refresh either.
  for (const bodies of received) for (const body of bodies) expect(body).not.toContain(marker);

  // The deciding vote.
  const reputationBefore = await reputationOf(decider!.page, decider!.address);
  const review = new ReviewPage(decider!.page);
  await claimAssignmentOf(decider!.request, baseURL!, id);
  await review.goto(id);
  await review.vote(84, `Well structured, readable. ${marker}`, { quality: 85, security: 88 });
  const outcome = decider!.page.getByTestId("vote-outcome");
  await expect(outcome).toHaveAttribute("data-decided", "true");
  await expect(decider!.page.getByTestId("outcome-verdict")).toContainText(/Verdict: verified, final score \d+(\.\d+)? against a threshold of \d+, from 3 votes/);
  const moved = decider!.page.getByTestId("outcome-reputation");
  await expect(moved).toContainText(/Your vote of 84 was [\d.]+ points? from it: reputation \+0\.\d+ \(now [\d.]+\), vote weight 1 → [\d.]+\./);
  const delta = Number((await moved.textContent())!.match(/reputation \+([\d.]+)/)![1]);
  expect(delta).toBeGreaterThan(0);
  expect(await reputationOf(decider!.page, decider!.address)).toBeCloseTo(reputationBefore + delta, 1);

  // The earlier voter's review page turned to the verdict by itself.
  await expect(first!.page.getByTestId("vote-outcome")).toHaveAttribute("data-decided", "true");
  await expect(first!.page.getByTestId("outcome-reputation")).toContainText("Your vote of 86");
  expect(await sameDocument(first!.page)).toBe(true);

  // Every part of the watching pages followed, still without a reload.
  for (const p of watchers) {
    await expect(p.getByTestId("status-badge").first()).toHaveText("verified");
    await expect(p.getByTestId("quality-score")).not.toHaveText("—");
    await expect(p.getByTestId("reward")).toHaveText(/^\d+(\.\d{1,2})? NWU$/);
    await expect(p.getByTestId("timeline")).toContainText("verified");
    await expect(sealedRows(p)).toHaveCount(0);
    await expect(p.getByTestId("verifications-table").locator("tbody tr")).toHaveCount(3);
    await expect(p.getByTestId("ballot-salt")).toHaveCount(3);
    await expect(p.getByTestId("vote-weight")).toHaveCount(3);
    await expect(p.getByTestId("verifications-table")).toContainText(marker);
    await expect(p.getByTestId("verdict")).toContainText("verified");
    await expect(p.getByTestId("verdict-reasons").locator("li")).toHaveCount(3);
    await expect(p.getByTestId("verdict-reasons")).toContainText(marker);
    expect(await sameDocument(p)).toBe(true);
  }
  // The refreshes did carry the revealed votes: the sealed check above could have failed.
  expect(received.map((bodies) => bodies.some((b) => b.includes(marker)))).toEqual([true, true]);

  await shot(page, "decided-desktop");
  await shot(visitor, "decided-phone");
  await shot(decider!.page, "review-decided-desktop");
  await decider!.page.setViewportSize({ width: 390, height: 844 });
  await outcome.scrollIntoViewIfNeeded();
  await shot(decider!.page, "review-decided-phone", false);
  await visitorContext.close();
});
