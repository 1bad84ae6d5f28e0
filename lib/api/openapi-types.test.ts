import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { openApiDocument } from "./openapi";

describe("lib/api/openapi-types.ts", () => {
  it("is what openapi-typescript generates from the current document (npm run api:types)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nwu-openapi-"));
    try {
      const doc = path.join(dir, "openapi.json");
      const out = path.join(dir, "types.ts");
      writeFileSync(doc, JSON.stringify(openApiDocument("https://nwu.dev")));
      execFileSync(path.join(process.cwd(), "node_modules/.bin/openapi-typescript"), [doc, "-o", out], { stdio: "pipe" });
      expect(readFileSync(path.join(process.cwd(), "lib/api/openapi-types.ts"), "utf8"), "run npm run api:types and commit the result").toBe(readFileSync(out, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
