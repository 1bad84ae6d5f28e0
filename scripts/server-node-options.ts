import { readFileSync } from "node:fs";
import path from "node:path";

/** The Node flags `npm start` gives the server (package.json `config.serverNodeOptions`, see lib/gc-tuning.ts). */
export function serverNodeOptions(appDir = process.cwd()): string[] {
  const manifest = JSON.parse(readFileSync(path.join(appDir, "package.json"), "utf8")) as { config?: { serverNodeOptions?: string } };
  return (manifest.config?.serverNodeOptions ?? "").split(/\s+/).filter(Boolean);
}
