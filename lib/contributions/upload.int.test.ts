import { createHash } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "@/db/client";
import { contributions } from "@/db/schema";
import { UnsupportedMediaTypeError } from "@/lib/errors";
import { isPinned } from "@/lib/ipfs/content";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";

import { storeUpload } from "./upload";

/** The upload's domain half, without HTTP: a stream and fields in, a stored contribution out. */
setupTestDatabase();

const streamOf = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });

describe("storeUpload", () => {
  it("stores a web ReadableStream with its fields: row, pinned content, sha256, cleaned name", async () => {
    const user = await insertUser(getDb());
    const text = "a,b\n1,2\n";
    const fields = { title: "Small table", file_type: "dataset" };
    const created = await storeUpload({ userId: user.id, fileName: "dir/table\u202E.csv", file: streamOf("a,b\n", "1,2\n"), fields });
    const [row] = await getDb().select().from(contributions).where(eq(contributions.id, created.id));
    expect(row).toMatchObject({ title: "Small table", fileName: "table.csv", sizeBytes: 8, cid: created.cid, sha256: createHash("sha256").update(text).digest("hex") });
    expect(await isPinned(created.cid)).toBe(true);
  });

  it("reads fields that arrive after the file started, and refuses (415, 400) with no row left behind", async () => {
    const user = await insertUser(getDb());
    const fields: Record<string, string> = {};
    let finish!: () => void;
    const complete = new Promise<void>((resolve) => (finish = resolve));
    const stored = storeUpload({ userId: user.id, fileName: "x.bin", file: streamOf("\u007fELF\u0002\u0001binary"), fields, complete });
    fields.title = "Late fields";
    fields.file_type = "dataset";
    finish();
    await expect(stored).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    await expect(storeUpload({ userId: user.id, fileName: "t.csv", file: streamOf("a\n"), fields: {} })).rejects.toMatchObject({ fieldErrors: { title: expect.any(Array), file_type: expect.any(Array) } });
    expect(await getDb().select().from(contributions).where(eq(contributions.userId, user.id))).toEqual([]);
  });
});
