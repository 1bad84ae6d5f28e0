import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";

import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { UploadPage } from "./pages/upload-page";

/**
 * The upload page on tus (issue 18 §2): a large upload survives a reload (picking the same file
 * resumes it from the server's offset), a listed unfinished upload can be cancelled, several files
 * upload side by side and a duplicate links to the earlier upload. Files are written to disk: the
 * fingerprint that finds an upload again includes the file's modification time, which a file path
 * keeps across picks (and Playwright takes buffers up to 50 MB only).
 */
const MiB = 1024 * 1024;
test.describe.configure({ timeout: 180_000 });

function bigFile(name: string, bytes: number): { file: string; sha256: string } {
  const data = randomBytes(bytes);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "nwu-resume-")), name);
  writeFileSync(file, data);
  return { file, sha256: createHash("sha256").update(data).digest("hex") };
}

/** Starts an upload of `file`, throttled, and reloads the page once it is past `percent` (answering "leave?"). */
async function uploadThenReload(page: Page, upload: UploadPage, file: string, title: string, percent: number) {
  await upload.goto();
  const created = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/uploads");
  await upload.fill({ title, type: "dataset", file });
  const cdp = await upload.throttleUpload(6 * MiB);
  await upload.submit.click();
  const location = (await created).headers()["location"]!;
  expect(location).toBeTruthy();
  await expect.poll(async () => Number((await upload.progress.textContent())?.match(/ (\d+)% /)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(percent);
  const dialogs: string[] = [];
  page.once("dialog", (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await page.reload();
  await cdp.detach();
  return { url: new URL(location, page.url()).toString(), dialogs };
}

test("a large upload reloaded mid-way resumes from the server's offset when the same file is picked, and completes", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const upload = new UploadPage(page);
  const { file, sha256 } = bigFile("survey.bin", 80 * MiB);
  const { dialogs } = await uploadThenReload(page, upload, file, "Survey readings", 25);
  expect(dialogs).toEqual(["beforeunload"]);

  const listed = upload.unfinished.filter({ hasText: "survey.bin" });
  await expect(listed).toContainText("Survey readings");
  await expect(listed.getByTestId("unfinished-progress")).toHaveText(/^([1-9]\d?)% · /);
  await expect(page.getByText("Pick the same file again to resume")).toBeVisible();

  const sent = upload.recordUploadRequests();
  const head = page.waitForResponse((r) => r.request().method() === "HEAD" && new URL(r.url()).pathname.startsWith("/api/v1/uploads/"));
  await upload.fileInput.setInputFiles(file);
  const offset = Number((await head).headers()["upload-offset"]);
  expect(offset).toBeGreaterThan(0);
  expect(offset).toBeLessThan(80 * MiB);
  await expect(upload.unfinished).toHaveCount(0);
  await expect(upload.rows.first()).toContainText(/resumes the unfinished upload from [1-9]\d?%/);
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  // Resumed, not started again: no second creation.
  expect(sent.filter((s) => s.startsWith("POST"))).toEqual([]);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Survey readings");
  await expect(page.locator(`dd[title="${sha256}"]`)).toBeVisible();
  await expect(page.getByText("80 MiB")).toBeVisible();
});

test("cancel on a listed unfinished upload deletes it: the list no longer shows it and its URL is gone", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const upload = new UploadPage(page);
  const { file } = bigFile("to-cancel.bin", 60 * MiB);
  const { url } = await uploadThenReload(page, upload, file, "Cancel me", 10);
  const listed = upload.unfinished.filter({ hasText: "to-cancel.bin" });
  await expect(listed).toBeVisible();
  await listed.getByRole("button", { name: "Cancel to-cancel.bin" }).click();
  await expect(upload.unfinished).toHaveCount(0);
  expect((await page.request.head(url, { headers: { "Tus-Resumable": "1.0.0" } })).status()).toBe(404);
  expect((await (await page.request.get("/api/v1/uploads")).json()).items).toEqual([]);
  await page.reload();
  await expect(upload.unfinished).toHaveCount(0);
});

test("several files upload side by side, each with its own status; pause and resume; a duplicate links to the earlier upload", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const upload = new UploadPage(page);
  await upload.goto();
  const table = Buffer.from(`id,reading\n${Array.from({ length: 20_000 }, (_, i) => `${i},${(i * 37) % 101}`).join("\n")}\n`);
  const notes = Buffer.from(`# Method\n\n${"We measured twice and wrote it down. ".repeat(40_000)}\n`);
  await upload.fileInput.setInputFiles([
    { name: "readings.csv", mimeType: "text/csv", buffer: table },
    { name: "method.md", mimeType: "text/markdown", buffer: notes },
  ]);
  await expect(upload.rows).toHaveCount(2);
  const csv = upload.row("readings.csv");
  const md = upload.row("method.md");
  await expect(csv.title).toHaveValue("readings");
  await expect(csv.type).toHaveValue("dataset");
  await expect(md.type).toHaveValue("document");
  const cdp = await upload.throttleUpload(512 * 1024);
  await upload.submit.click();
  await md.pause.click();
  await expect(md.root).toHaveAttribute("data-phase", "paused");
  await expect(md.progress).toContainText("paused");
  await cdp.detach();
  await md.resume.click();
  for (const row of [csv, md]) {
    await expect(row.done.getByRole("link", { name: "View the contribution" })).toBeVisible({ timeout: 60_000 });
    await expect(row.done.getByText(/pending|verifying|verified|rejected/)).toBeVisible();
  }
  await expect(page).toHaveURL(/\/upload$/);
  const first = await csv.done.getByRole("link").getAttribute("href");

  await page.reload();
  await upload.fill({ title: "Readings again", type: "dataset", file: { name: "readings.csv", mimeType: "text/csv", buffer: table } });
  await upload.submit.click();
  await expect(upload.row(0).duplicate).toContainText("You uploaded this file before");
  await expect(upload.row(0).duplicate.getByRole("link", { name: "see the earlier upload" })).toHaveAttribute("href", first!);
});

test("tus-js-client is not in the upload page's first load: it arrives with the first upload", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const scripts: { url: string; body: string }[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") void r.text().then((body) => scripts.push({ url: r.url(), body }), () => undefined);
  });
  const tusIn = () => scripts.some((s) => s.body.includes("tus: no file or stream to upload provided"));
  const upload = new UploadPage(page);
  await upload.goto();
  await page.waitForLoadState("networkidle");
  const firstLoad = scripts.reduce((sum, s) => sum + gzipSync(s.body).length, 0);
  test.info().annotations.push({ type: "first-load JS (gzip)", description: `${(firstLoad / 1024).toFixed(1)} KiB in ${scripts.length} scripts` });
  expect(tusIn()).toBe(false);
  await upload.fill({ title: "Small notes", type: "document", file: { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from(`# Notes ${randomBytes(8).toString("hex")}\n\nA line.\n`) } });
  expect(tusIn()).toBe(false);
  await upload.submit.click();
  await expect.poll(tusIn).toBe(true);
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
});

test("a network drop mid-upload resumes by itself, from where it stopped", async ({ freshContributor }) => {
  const { page } = await freshContributor();
  const upload = new UploadPage(page);
  const { file, sha256 } = bigFile("dropped.bin", 30 * MiB);
  await upload.goto();
  const sent = upload.recordUploadRequests();
  await upload.fill({ title: "Dropped once", type: "dataset", file });
  const cdp = await upload.throttleUpload(4 * MiB);
  await upload.submit.click();
  await expect.poll(async () => Number((await upload.progress.textContent())?.match(/ (\d+)% /)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(20);
  await cdp.send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForTimeout(2500);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/, { timeout: 90_000 });
  await expect(page.locator(`dd[title="${sha256}"]`)).toBeVisible();
  // One creation; the drop cost a HEAD (where to go on from) and the rest of the chunk, not a new upload.
  expect(sent.filter((s) => s.startsWith("POST"))).toHaveLength(1);
  expect(sent.filter((s) => s.startsWith("HEAD")).length).toBeGreaterThanOrEqual(1);
});

test("a file refused at creation says why in its row (429: too many unfinished uploads), and nothing was sent", async ({ freshContributor }) => {
  const { page, request } = await freshContributor();
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  for (let i = 1; i <= 3; i++) {
    const meta = `title ${b64(`Held ${i}`)},file_type ${b64("dataset")},filename ${b64(`held-${i}.csv`)}`;
    const res = await request.post("/api/v1/uploads", { headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "1000", "Upload-Metadata": meta } });
    expect(res.status()).toBe(201);
  }
  const upload = new UploadPage(page);
  const sent = upload.recordUploadRequests();
  await upload.goto();
  await expect(upload.unfinished).toHaveCount(3);
  await upload.fill({ title: "One too many", type: "dataset", file: { name: "more.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n3,4\n") } });
  await upload.submit.click();
  await expect(upload.error).toHaveText(/You have 3 unfinished uploads \(the most is 3\): finish or cancel one first/);
  await expect(upload.rows.first()).toHaveAttribute("data-phase", "ready");
  expect(sent).toEqual(["POST /api/v1/uploads"]);
  // Cancelling one listed upload frees a slot: the same row goes through.
  await upload.unfinished.first().getByRole("button", { name: /^Cancel/ }).click();
  await expect(upload.unfinished).toHaveCount(2);
  await upload.submit.click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
});
