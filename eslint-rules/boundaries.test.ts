import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The dependency rules of eslint.config.mjs, run through ESLint with the repository's own config
 * on source text placed at a path (nothing is written to disk).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "import/no-restricted-paths" || m.ruleId === "local/lib-domain-cycles").map((m) => `${m.ruleId}: ${m.message}`);
}

describe("dependencies point one way", () => {
  it("components never import app/", async () => {
    expect(await boundaryErrors("components/admin/probe.tsx", 'import { metadata } from "@/app/settings/api-keys/page";\nexport const m = metadata;\n')).toEqual([
      expect.stringContaining("components/ never import app/"),
    ]);
  });

  it("db/ never imports lib/, by alias or relative path; tests in db/ may", async () => {
    expect(await boundaryErrors("db/probe.ts", 'import { log } from "@/lib/log";\nexport const l = log;\n')).toEqual([expect.stringContaining("db/ is the bottom layer")]);
    expect(await boundaryErrors("db/probe.ts", 'import { log } from "../lib/log";\nexport const l = log;\n')).toEqual([expect.stringContaining("db/ is the bottom layer")]);
    expect(await boundaryErrors("db/probe.test.ts", 'import { log } from "@/lib/log";\nexport const l = log;\n')).toEqual([]);
  });

  it("lib/ never imports components/", async () => {
    expect(await boundaryErrors("lib/payments/probe.ts", 'import { ActionButton } from "@/components/action-button";\nexport const b = ActionButton;\n')).toEqual([
      expect.stringContaining("lib/ never imports app/ or components/"),
    ]);
  });

  it("an import that closes a cycle between lib domains is an error; the same import one way is not", async () => {
    // lib/api-keys imports lib/payments (plans, current plan): payments importing api-keys back closes a cycle.
    expect(await boundaryErrors("lib/payments/probe.ts", 'import { API_SCOPES } from "@/lib/api-keys/keys";\nexport const s = API_SCOPES;\n')).toEqual([
      expect.stringMatching(/lib\/payments imports lib\/api-keys, which imports lib\/payments back: lib\/api-keys → lib\/payments \(lib\/api-keys\/\w[\w-]*\.ts\)/),
    ]);
    expect(await boundaryErrors("lib/api-keys/probe.ts", 'import { PLANS } from "@/lib/payments/plans";\nexport const p = PLANS;\n')).toEqual([]);
  });
});
