import type { Locator, Page } from "@playwright/test";

type FileArg = string | { name: string; mimeType: string; buffer: Buffer };

/** One file's row in the upload queue. */
export class UploadRow {
  readonly title: Locator;
  readonly type: Locator;
  readonly progress: Locator;
  readonly error: Locator;
  readonly pause: Locator;
  readonly resume: Locator;
  readonly cancel: Locator;
  readonly remove: Locator;
  readonly done: Locator;
  readonly duplicate: Locator;

  constructor(readonly root: Locator) {
    this.title = root.getByLabel("Title");
    this.type = root.getByLabel("Type");
    this.progress = root.getByTestId("upload-progress");
    this.error = root.getByTestId("upload-error");
    this.pause = root.getByRole("button", { name: /^Pause/ });
    this.resume = root.getByRole("button", { name: /^Resume/ });
    this.cancel = root.getByRole("button", { name: /^Cancel/ });
    this.remove = root.getByRole("button", { name: /^Remove/ });
    this.done = root.getByTestId("upload-done");
    this.duplicate = root.getByTestId("upload-duplicate");
  }
}

export class UploadPage {
  readonly description: Locator;
  readonly licence: Locator;
  readonly fileInput: Locator;
  readonly submit: Locator;
  readonly rows: Locator;
  readonly unfinished: Locator;
  /** The first row's fields: most tests upload one file. */
  readonly title: Locator;
  readonly type: Locator;
  readonly progress: Locator;
  readonly error: Locator;
  readonly cancel: Locator;

  constructor(private readonly page: Page) {
    this.description = page.getByLabel("Description");
    this.licence = page.getByLabel("Licence");
    this.fileInput = page.getByTestId("file-input");
    this.submit = page.getByRole("button", { name: "Upload", exact: true });
    this.rows = page.getByTestId("upload-row");
    this.unfinished = page.getByTestId("unfinished-upload");
    const first = this.row(0);
    this.title = first.title;
    this.type = first.type;
    this.progress = first.progress;
    this.error = first.error;
    this.cancel = first.cancel;
  }

  row(which: number | string): UploadRow {
    return new UploadRow(typeof which === "number" ? this.rows.nth(which) : this.rows.filter({ has: this.page.getByText(which, { exact: true }) }));
  }

  async goto() {
    await this.page.goto("/upload");
  }

  /** Adds a file to the queue (it becomes the last row), then sets that row's title and type. */
  async fill(o: { title: string; type: "code" | "dataset" | "document"; file: FileArg }) {
    const before = await this.rows.count();
    await this.fileInput.setInputFiles(o.file);
    const row = new UploadRow(this.rows.nth(before));
    await row.title.fill(o.title);
    await row.type.selectOption(o.type);
    return row;
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

  /** Every request to the tus endpoint, to prove that nothing was sent (field errors before bytes). */
  recordUploadRequests(): string[] {
    const seen: string[] = [];
    this.page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/api/v1/uploads")) seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    return seen;
  }
}
