import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

import { expect, test } from "./fixtures";
import { UploadPage } from "./pages/upload-page";

test("upload with a visible progress bar, land on the page, find it with filters, download the same bytes", async ({ asOtherContributor: { page } }) => {
  const title = `Field notes ${randomBytes(4).toString("hex")}`;
  const bytes = Buffer.from(`# Field notes\n\n${"Observations, measured and written down. ".repeat(150_000)}\n`); // ~6 MB
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title, type: "document", file: { name: "field notes.md", mimeType: "text/markdown", buffer: bytes } });
  const cdp = await upload.throttleUpload(3 * 1024 * 1024);
  await upload.submit.click();
  await expect(upload.progress).toBeVisible();
  await expect(upload.progress).toContainText(/\d+(\.\d)? MiB of 5\.\d MiB · \d+%/);
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await cdp.detach();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByTestId("cid")).toContainText("bafy");
  await expect(page.getByTestId("live-status")).toContainText(/pending|verifying|verified|rejected/);
  await expect(page.getByTestId("timeline")).toContainText("pending");

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

test("field errors show beside the fields; a wrong file type is refused with its reason", async ({ asOtherContributor: { page } }) => {
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fileInput.setInputFiles({ name: "a.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") });
  await upload.type.selectOption("dataset");
  await upload.submit.click();
  await expect(page.locator("#title-error")).toHaveText(/Title is required/);

  // Any file but a program or HTML is a dataset now; an image is still no document.
  await upload.title.fill("Not a document");
  await upload.type.selectOption("document");
  await upload.fileInput.setInputFiles({ name: "x.pdf", mimeType: "application/pdf", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) });
  await upload.submit.click();
  await expect(upload.error).toContainText("looks like image/png");
});

test("cancelling an upload leaves nothing behind", async ({ asOtherContributor: { page, address: owner }, request }) => {
  const count = async () => (await (await request.get(`/api/v1/contributions?owner=${owner}&limit=100`)).json()).items.length as number;
  const before = await count();
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.fill({ title: "Cancelled", type: "document", file: { name: "big.txt", mimeType: "text/plain", buffer: Buffer.alloc(8 * 1024 * 1024, 120) } });
  await upload.throttleUpload(1024 * 1024);
  await upload.submit.click();
  await expect(upload.progress).toBeVisible();
  await upload.cancel.click();
  await expect(upload.error).toHaveText("Upload cancelled.");
  await expect.poll(count).toBe(before);
});
