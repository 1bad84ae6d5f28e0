import { describe, expect, it } from "vitest";

import { loadPdfjs } from "@/lib/previews/pdf";

import { withNativeBuiltins } from "./native-builtins";

describe("withNativeBuiltins", () => {
  it("puts back what the import replaced and keeps what it only added", async () => {
    const { stringify } = JSON;
    const { push } = Array.prototype;
    const added = Symbol("added");
    await withNativeBuiltins(async () => {
      JSON.stringify = () => "polyfilled";
      Object.defineProperty(Array.prototype, "push", { value: () => 0, configurable: true, writable: true });
      Object.defineProperty(Map.prototype, added, { value: 1, configurable: true });
    });
    expect(JSON.stringify).toBe(stringify);
    expect(Array.prototype.push).toBe(push);
    expect((Map.prototype as unknown as Record<symbol, number>)[added]).toBe(1);
    delete (Map.prototype as unknown as Record<symbol, number>)[added];
  });

  it("restores even when the import fails", async () => {
    const { parse } = JSON;
    await expect(
      withNativeBuiltins(async () => {
        JSON.parse = () => null;
        throw new Error("no such module");
      }),
    ).rejects.toThrow("no such module");
    expect(JSON.parse).toBe(parse);
  });

  it("leaves Node's own JSON, Array.prototype.push, Response and TextEncoder after pdf.js (its core-js replaces them on Node 20)", async () => {
    const natives = { stringify: JSON.stringify, parse: JSON.parse, push: Array.prototype.push, Response: globalThis.Response, TextEncoder: globalThis.TextEncoder };
    const pdfjs = await loadPdfjs();
    expect(typeof pdfjs.getDocument).toBe("function");
    expect({ stringify: JSON.stringify, parse: JSON.parse, push: Array.prototype.push, Response: globalThis.Response, TextEncoder: globalThis.TextEncoder }).toEqual(natives);
    expect(JSON.stringify.toString()).toContain("[native code]");
  });
});
