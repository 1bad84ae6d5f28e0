import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

/**
 * A `memo()` client component rendered by a server component is remounted by every
 * `router.refresh()` (Next 16.4 / React 19.3: measured in Chromium, the DOM node and the state were
 * new each time; the same component without memo kept both). Its open menus, typed text and live
 * streams were lost on each refresh — the account menu closed itself after sign-in. Memo buys
 * nothing there anyway: a server parent never re-renders on the client. Memo stays inside client trees.
 */
const ROOT = path.resolve(__dirname, "..");
const SOURCE_DIRS = ["app", "components"];
const MEMO_EXPORT = /export const (\w+) = memo\(/g;
const IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g;
const USE_CLIENT = /^\s*["']use client["']/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(ROOT, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(ROOT, path.dirname(from), specifier) : null;
  return base ? path.relative(ROOT, base) : null;
}

describe("client components rendered by server components", () => {
  it("are not wrapped in memo() (it makes router.refresh remount them)", () => {
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    const text = new Map(files.map((f) => [f, readFileSync(path.join(ROOT, f), "utf8")]));
    const memoExports = new Map<string, Set<string>>();
    for (const [file, src] of text) {
      if (!USE_CLIENT.test(src)) continue;
      const names = [...src.matchAll(MEMO_EXPORT)].map((m) => m[1]!);
      if (names.length > 0) memoExports.set(file.replace(/\.tsx?$/, ""), new Set(names));
    }
    expect(memoExports.size).toBeGreaterThan(0);

    const offenders: string[] = [];
    for (const [file, src] of text) {
      if (USE_CLIENT.test(src)) continue;
      for (const [, names, specifier] of src.matchAll(IMPORT)) {
        const target = resolveImport(file, specifier!);
        const exported = target ? memoExports.get(target) : undefined;
        if (!exported) continue;
        for (const name of names!.split(",").map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!)) {
          if (exported.has(name)) offenders.push(`${name} (${target}) imported by the server component ${file}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
