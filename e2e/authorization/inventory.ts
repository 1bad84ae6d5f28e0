import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * What the app exposes, read from the source tree and the build — not from the matrix — so that a
 * new route, page or server action that nobody declared makes the matrix test fail.
 */
const APP = path.join(process.cwd(), "app");
const METHODS = /export\s+(?:const|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g;
const EXPORTS = /export\s+(?:const|async\s+function|function)\s+(\w+)/g;

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f));
}

/** "app/api/contributions/[id]/route.ts" → "/api/contributions/[id]" (route groups dropped). */
function urlPath(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

export function routeHandlers(): string[] {
  return files(APP)
    .filter((f) => /[/\\]route\.tsx?$/.test(f))
    .flatMap((f) => [...readFileSync(f, "utf8").matchAll(METHODS)].map((m) => `${m[1]} ${urlPath(f)}`))
    .sort();
}

export function pages(): string[] {
  return files(APP)
    .filter((f) => /[/\\]page\.tsx?$/.test(f))
    .map((f) => `PAGE ${urlPath(f)}`)
    .sort();
}

/** Every export of every "use server" module in the repository (app/, lib/, components/). */
export function serverActionsInSource(): string[] {
  const roots = ["app", "lib", "components"].map((d) => path.join(process.cwd(), d));
  return roots
    .flatMap(files)
    .filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")))
    .flatMap((f) => [...readFileSync(f, "utf8").matchAll(EXPORTS)].map((m) => `ACTION ${path.relative(process.cwd(), f)}#${m[1]}`))
    .sort();
}

export interface BuiltAction {
  id: string;
  key: string;
  /** A page that hosts the action: where a browser would POST it. */
  pagePath: string;
}

/** Server actions as the production build registered them (id, file, export, hosting page). */
export function serverActionsInBuild(): BuiltAction[] {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((w) => w.endsWith("/page")) ?? "app/page";
    const pagePath = `/${worker.replace(/^app\/?/, "").replace(/\/?page$/, "")}`;
    return { id, key: `ACTION ${entry.filename}#${entry.exportedName}`, pagePath };
  });
}
