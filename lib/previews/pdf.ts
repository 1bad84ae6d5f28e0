import { withNativeBuiltins } from "@/lib/native-builtins";

import { BudgetExceededError, UnreadableError, type RangeReader } from "./reader";

/**
 * A PDF's page count and its first page's text, read by pdf.js from byte ranges: the trailer and
 * cross-reference table first, then only the objects of the page tree and the first page (no
 * auto-fetch, no streaming of the whole file). No script runs (eval off), no font is loaded.
 */
export interface PdfPreview {
  pages: number;
  text: string;
  truncated: boolean;
}

const FIRST_READ = 64 * 1024;
const CHUNK = 64 * 1024;
export const PDF_TEXT_CHARS = 8_000;
const DEADLINE_MS = 5_000;

type Pdfjs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let pdfjs: Promise<Pdfjs> | undefined;

/**
 * pdf.js, imported on the first PDF (not when the server starts) and without the built-ins its
 * bundled core-js replaces (see lib/native-builtins.ts).
 */
export function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= withNativeBuiltins(() => import("pdfjs-dist/legacy/build/pdf.mjs"));
  return pdfjs;
}

function rangedPdf({ PDFDataRangeTransport }: Pdfjs, reader: RangeReader, initial: Uint8Array, fail: (error: unknown) => void) {
  const transport = new PDFDataRangeTransport(reader.size, initial);
  transport.requestDataRange = (begin: number, end: number) => {
    reader.read(begin, end - begin).then((bytes) => transport.onDataRange(begin, bytes), fail);
  };
  return transport;
}

export async function pdfPreview(r: RangeReader): Promise<PdfPreview> {
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const lib = await loadPdfjs();
  const initial = await r.read(0, Math.min(r.size, FIRST_READ));
  const task = lib.getDocument({
    range: rangedPdf(lib, r, initial, fail),
    rangeChunkSize: CHUNK,
    disableAutoFetch: true,
    disableStream: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const timer = setTimeout(() => fail(new UnreadableError(`it could not be read within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
  try {
    const read = (async () => {
      const doc = await task.promise;
      const page = await doc.getPage(1);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join("");
      return { pages: doc.numPages, text };
    })();
    const { pages, text } = await Promise.race([read, failed]);
    const clean = text.replace(/[ \t]+\n/g, "\n").trim();
    return { pages, text: clean.slice(0, PDF_TEXT_CHARS), truncated: clean.length > PDF_TEXT_CHARS };
  } catch (error) {
    if (error instanceof BudgetExceededError || error instanceof UnreadableError) throw error;
    throw new UnreadableError(`it is not a PDF pdf.js can read (${(error as Error).message})`);
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => {});
  }
}
