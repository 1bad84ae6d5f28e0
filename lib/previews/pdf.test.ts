import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { pdfPreview } from "./pdf";
import { BudgetExceededError, bytesReader } from "./reader";

const fixture = (name: string) => readFileSync(path.join(process.cwd(), "test/fixtures/formats", name));

describe("PDF previews by ranged reads", () => {
  it("gives the page count libmagic reports and the first page's text only", async () => {
    const p = await pdfPreview(bytesReader(fixture("report.pdf")));
    expect(p.pages).toBe(3); // `file`: "PDF document, version 1.4, 3 pages"
    expect(p.text).toContain("Field report: river gauges");
    expect(p.text).toContain("Levels rose after the storm of 14 January");
    expect(p.text).not.toContain("Methods");
    expect(p.truncated).toBe(false);
  });

  it("reads a large PDF by ranges: the tail and the first page's objects, not the middle", async () => {
    const pdf = fixture("report.pdf");
    // 32 MiB of an unreferenced stream (as a big image would be) between the pages and the font: a
    // reader must jump over it to the cross-reference table at the end and back.
    const at = pdf.indexOf("9 0 obj");
    const blob = Buffer.alloc(32 << 20, 0x41);
    const filler = Buffer.concat([Buffer.from(`99 0 obj\n<< /Length ${blob.length} >>\nstream\n`), blob, Buffer.from("\nendstream\nendobj\n")]);
    const big = Buffer.concat([pdf.subarray(0, at), filler, pdf.subarray(at)]);
    // Offsets past the filler (the font's, the xref's) shift by its length.
    const shift = (o: number) => (o >= at ? o + filler.length : o);
    const text = big.toString("latin1").replace(/(\d{10}) 00000 n /g, (_m, o: string) => `${String(shift(Number(o))).padStart(10, "0")} 00000 n `);
    const startxref = /startxref\n(\d+)/.exec(text)!;
    const shifted = Buffer.from(text.replace(`startxref\n${startxref[1]}`, `startxref\n${shift(Number(startxref[1]))}`), "latin1");
    const reader = bytesReader(shifted, 1 << 20);
    const p = await pdfPreview(reader);
    expect(p.pages).toBe(3);
    expect(p.text).toContain("Field report");
    expect(reader.bytesRead).toBeLessThan(1 << 20);
  });

  it("says a damaged PDF cannot be read, and stops at the reading budget", async () => {
    await expect(pdfPreview(bytesReader(Buffer.from("%PDF-1.4\nnot really a pdf\n")))).rejects.toThrow(/cannot|not a PDF/);
    await expect(pdfPreview(bytesReader(fixture("report.pdf"), 100))).rejects.toThrow(BudgetExceededError);
  });
});
