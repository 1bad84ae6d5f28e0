import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

import { expect, test } from "./fixtures";
import { UploadPage } from "./pages/upload-page";

test("upload with a visible progress bar and a licence, land on the page, find it with filters, download the same bytes", async ({ asOtherContributor: { page } }) => {
  const title = `Field notes ${randomBytes(4).toString("hex")}`;
  const bytes = Buffer.from(`# Field notes\n\n${"Observations, measured and written down. ".repeat(150_000)}\n`); // ~6 MB
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title, type: "document", file: { name: "field notes.md", mimeType: "text/markdown", buffer: bytes } });
  await upload.licence.selectOption("CC-BY-4.0");
  await page.getByRole("button", { name: "Add a key" }).click();
  await page.getByLabel("Key 1").fill("source");
  await page.getByLabel("Value 1").fill("the field trip of 2026");
  const cdp = await upload.throttleUpload(3 * 1024 * 1024);
  await upload.submit.click();
  await expect(upload.progress).toBeVisible();
  await expect(upload.progress).toContainText(/\d+(\.\d)? MiB of 5\.\d MiB · \d+% · (\d+(\.\d)? [KM]iB\/s · \d+ s left|measuring speed…)/);
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await cdp.detach();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByTestId("cid")).toContainText("bafy");
  await expect(page.getByTestId("live-status")).toContainText(/pending|verifying|verified|rejected/);
  await expect(page.getByTestId("timeline")).toContainText("pending");
  await expect(page.getByTestId("licence")).toHaveText("Creative Commons Attribution 4.0 (CC-BY-4.0)");
  await expect(page.getByTestId("metadata")).toContainText("sourcethe field trip of 2026");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
  expect(download.suggestedFilename()).toBe("field notes.md");
  expect(readFileSync((await download.path())!).equals(bytes)).toBe(true);

  await page.goto("/contributions?type=document");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await page.getByLabel("Search titles").fill(title);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=Field\+notes/);
  await expect(page.getByTestId("contribution-row")).toHaveCount(1);
  await page.getByLabel("Type").selectOption("dataset");
  await expect(page).toHaveURL(/type=dataset/);
  await expect(page.getByTestId("contributions-empty")).toBeVisible();
});

test("field errors show beside the fields before a byte is sent: empty title, a file of the wrong type, bad metadata, a long description", async ({ asOtherContributor: { page } }) => {
  const upload = new UploadPage(page);
  const sent = upload.recordUploadRequests();
  await upload.goto();
  await upload.submit.click();
  await expect(page.locator("#file-error")).toHaveText("Choose a file to upload");

  const csv = await upload.fill({ title: "", type: "dataset", file: { name: "a.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") } });
  await expect(csv.root.getByRole("alert")).toHaveText("Title is required");
  await expect(csv.root.getByText("Accepts CSV, TSV, JSON, NDJSON, Parquet")).toBeVisible();

  // Any file but a program or HTML is a dataset; an image is still no document, whatever its name says.
  const png = await upload.fill({ title: "Not a document", type: "document", file: { name: "x.pdf", mimeType: "application/pdf", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) } });
  await expect(png.root.getByRole("alert")).toHaveText("This file's content is recognised as PNG image, which is not accepted as a document. It would be accepted as a dataset.");
  await expect(png.root.getByText("Accepts PDF, Markdown, plain text")).toBeVisible();

  await page.getByRole("button", { name: "Add a key" }).click();
  await page.getByLabel("Value 1").fill("no key");
  await upload.description.fill("x".repeat(5001));
  await expect(page.locator("#description-count")).toHaveText("5,001 / 5,000 — too long");
  await csv.title.fill("t".repeat(201));
  await expect(csv.root.locator("[id^=title-][id$=-count]")).toHaveText("201 / 200 — too long");
  await upload.submit.click();
  await expect(csv.root.getByRole("alert")).toHaveText("Title is at most 200 characters (201 now)");
  await expect(page.locator("#metadata-error")).toHaveText("The value “no key” needs a key");
  await expect(page.locator("#description-error")).toHaveText("Description is at most 5,000 characters (5,001 now)");
  await expect(upload.rows).toHaveCount(2);
  await expect(upload.rows.first()).toHaveAttribute("data-phase", "ready");
  expect(sent).toEqual([]);
});

test("cancelling an upload leaves nothing behind", async ({ asOtherContributor: { page, address: owner }, request }) => {
  const count = async () => (await (await request.get(`/api/v1/contributions?owner=${owner}&limit=100`)).json()).items.length as number;
  // Other specs may leave this persona unfinished uploads (the authorization matrix creates some): compare, not assume none.
  const unfinished = async () => (await (await page.request.get("/api/v1/uploads")).json()).items.length as number;
  const before = await count();
  const unfinishedBefore = await unfinished();
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Cancelled", type: "document", file: { name: "big.txt", mimeType: "text/plain", buffer: Buffer.alloc(8 * 1024 * 1024, 120) } });
  await upload.throttleUpload(1024 * 1024);
  await upload.submit.click();
  await expect(upload.progress).toBeVisible();
  await upload.cancel.click();
  await expect(upload.rows).toHaveCount(0);
  await expect.poll(count).toBe(before);
  await expect.poll(unfinished).toBe(unfinishedBefore);
});
