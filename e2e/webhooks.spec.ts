import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

import type { Page, TestInfo } from "@playwright/test";
import { Webhook } from "standardwebhooks";

import { expect, test } from "./fixtures";
import { WebhooksPage } from "./pages/webhooks-page";

/**
 * Issue 19 §1 end to end: an endpoint registered in the UI receives the signed contribution.created
 * of an upload — verified here with the Standard Webhooks library — and the delivery is in its log,
 * where "Send again" delivers the same message (same webhook-id) once more.
 */
interface Delivery {
  id: string;
  body: string;
  headers: Record<string, string>;
}

async function startReceiver(): Promise<{ url: string; received: Delivery[]; close: () => Promise<void> }> {
  const received: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(req.headers[h])]));
      received.push({ id: headers["webhook-id"]!, body: Buffer.concat(chunks).toString("utf8"), headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nwu-hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const [size, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    const file = testInfo.outputPath(`${name}-${size}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`${name}-${size}`, { path: file, contentType: "image/png" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }
}

test("an endpoint registered in the UI gets the signed contribution.created of an upload, and the delivery is in its log", async ({ asContributor: { page, request } }, testInfo) => {
  const receiver = await startReceiver();
  try {
    const hooks = new WebhooksPage(page);
    await hooks.goto();
    const secret = await hooks.register(receiver.url, ["contribution.created"]);
    await shoot(page, testInfo, "webhooks-settings");

    const title = `Webhook e2e ${randomBytes(4).toString("hex")}`;
    const created = await request.post("/api/v1/contributions", { multipart: { title, file_type: "document", file: { name: "hook.md", mimeType: "text/markdown", buffer: Buffer.from(`# ${title}\n`) } } });
    expect(created.status()).toBe(201);
    const contributionId = (await created.json()).id as string;

    await expect.poll(() => receiver.received.find((d) => d.body.includes(contributionId)), { timeout: 20_000 }).toBeTruthy();
    const delivery = receiver.received.find((d) => d.body.includes(contributionId))!;
    // The receiver's check, with the reference library and the secret shown once.
    const event = new Webhook(secret).verify(delivery.body, delivery.headers) as { type: string; data: { contribution_id: string; title: string } };
    expect(event).toMatchObject({ type: "contribution.created", data: { contribution_id: contributionId, title } });

    await hooks.goto();
    await hooks.endpoint(receiver.url).getByRole("link", { name: "Deliveries" }).click();
    const row = hooks.deliveries.filter({ hasText: delivery.id });
    await expect(row).toContainText("contribution.created");
    await expect(row).toContainText("succeeded");
    await expect(row).toContainText("204");
    await shoot(page, testInfo, "webhook-deliveries");

    await row.getByRole("button", { name: "Send again" }).click();
    await expect.poll(() => receiver.received.filter((d) => d.id === delivery.id).length, { timeout: 20_000 }).toBe(2);
  } finally {
    await receiver.close();
  }
});
