import { describe, expect, it } from "vitest";

import { descriptionErrors, fileErrors, guessType, titleErrors, titleFromName } from "./checks";
import { buildMetadata } from "./metadata";

describe("the browser's checks before a byte is sent", () => {
  it("title and description limits, as the server's schema", () => {
    expect(titleErrors("  ")).toEqual(["Title is required"]);
    expect(titleErrors("t".repeat(200))).toBeUndefined();
    expect(titleErrors("t".repeat(201))).toEqual(["Title is at most 200 characters (201 now)"]);
    expect(descriptionErrors("d".repeat(5000))).toBeUndefined();
    expect(descriptionErrors("d".repeat(5001))).toEqual(["Description is at most 5,000 characters (5,001 now)"]);
    expect(titleFromName("field notes.md")).toBe("field notes");
    expect(titleFromName(".env")).toBe(".env");
  });

  it("a file's size and sniffed type against the declared type, saying what it would be accepted as", () => {
    expect(fileErrors({ size: 0 }, "text/plain", "document", 100)).toEqual({ file: ["The file is empty"] });
    expect(fileErrors({ size: 2048 }, "text/plain", "document", 1024)).toEqual({ file: ["This file is 2 KiB; the limit is 1 KiB"] });
    expect(fileErrors({ size: 10 }, "image/png", "document", 1024).file_type).toEqual(["This file's content is recognised as PNG image, which is not accepted as a document. It would be accepted as a dataset."]);
    expect(fileErrors({ size: 10 }, "application/x-msdownload", "dataset", 1024).file_type?.[0]).toMatch(/Windows program, which is not accepted as a dataset\.$/);
    expect(fileErrors({ size: 10 }, "text/csv", "dataset", 1024)).toEqual({});
  });

  it("guesses the likely type of a file from its sniffed media type", () => {
    expect(guessType("text/x-source")).toBe("code");
    expect(guessType("text/csv")).toBe("dataset");
    expect(guessType("application/pdf")).toBe("document");
    expect(guessType("text/markdown")).toBe("document");
    expect(guessType("application/zip")).toBe("dataset");
  });
});

describe("metadata from the editor", () => {
  it("a licence and pairs make one JSON object; empty rows are left out", () => {
    expect(buildMetadata({ license: "", pairs: [] })).toEqual({ json: "" });
    expect(buildMetadata({ license: "MIT", pairs: [{ key: " source ", value: "survey" }, { key: "", value: "" }] })).toEqual({ json: '{"license":"MIT","source":"survey"}' });
  });

  it("refuses a value without a key, a key twice, a typed licence beside the picker, over 10 KB", () => {
    expect(buildMetadata({ license: "", pairs: [{ key: "", value: "orphan" }] }).errors).toEqual(["The value “orphan” needs a key"]);
    expect(buildMetadata({ license: "", pairs: [{ key: "a", value: "1" }, { key: "a", value: "2" }] }).errors).toEqual(["The key “a” appears twice"]);
    expect(buildMetadata({ license: "MIT", pairs: [{ key: "license", value: "GPL" }] }).errors?.[0]).toMatch(/picker/);
    expect(buildMetadata({ license: "", pairs: [{ key: "big", value: "x".repeat(10_300) }] }).errors).toEqual(["Metadata is at most 10 KB"]);
  });
});
