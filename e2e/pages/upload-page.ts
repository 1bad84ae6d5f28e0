import type { Locator, Page } from "@playwright/test";

export class UploadPage {
  readonly title: Locator;
  readonly description: Locator;
  readonly type: Locator;
  readonly fileInput: Locator;
  readonly submit: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.title = page.getByLabel("Title");
    this.description = page.getByLabel("Description");
    this.type = page.getByLabel("Type");
    this.fileInput = page.getByTestId("file-input");
    this.submit = page.getByRole("button", { name: "Upload" });
    this.cancel = page.getByRole("button", { name: "Cancel" });
    this.progress = page.getByTestId("upload-progress");
    this.error = page.getByTestId("upload-error");
  }

  async goto() {
    await this.page.goto("/upload");
  }

  async fill(o: { title: string; type: "code" | "dataset" | "document"; file: { name: string; mimeType: string; buffer: Buffer } }) {
    await this.title.fill(o.title);
    await this.type.selectOption(o.type);
    await this.fileInput.setInputFiles(o.file);
  }

  /** Uploads a file and lands on its contribution page. */
  async upload(o: Parameters<UploadPage["fill"]>[0]) {
    await this.goto();
    await this.fill(o);
    await this.submit.click();
    await this.page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  }

  /** Limits the browser's upload speed so the progress bar can be seen. */
  async throttleUpload(bytesPerSecond: number) {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
    return cdp;
  }
}
