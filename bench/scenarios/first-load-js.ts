import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { privateKeyToAccount } from "viem/accounts";
import { signInWithWallet } from "@/lib/auth/siwe-client";

import { DEMO_ACCOUNTS } from "@/db/demo-accounts";

import { pointAppAt } from "../app-database";
import { formatRatio, type BenchContext, type Scenario } from "../harness";

const SCRIPT_SRC = /<script[^>]+src="([^"]+)"/g;
const PAGES = [
  { path: "/blank", budget: null },
  { path: "/contributions", budget: 1.3 },
  { path: "/dashboard", budget: 1.8 },
  { path: "/", budget: null },
  { path: "/upload", budget: null },
] as const;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** gzip bytes of every script a page's HTML loads, read from the build output. */
function firstLoadJs(html: string): { scripts: number; gzip: number } {
  const srcs = [...new Set([...html.matchAll(SCRIPT_SRC)].map((m) => m[1]!))].filter((s) => s.startsWith("/_next/"));
  let gzip = 0;
  for (const src of srcs) gzip += gzipSync(readFileSync(path.join(".next", src.replace(/^\/_next\//, "").split("?")[0]!)), { level: 9 }).length;
  // Inline scripts (RSC payload, bootstrap) count too.
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join("");
  return { scripts: srcs.length, gzip: gzip + gzipSync(inline, { level: 9 }).length };
}

/**
 * Scenario 6: first-load JavaScript of the built pages (gzip, every script the HTML loads), each
 * compared with an empty page of the same build (`/blank`, same root layout). Needs `npm run build`.
 */
export const firstLoadJsScenario: Scenario = {
  name: "first-load-js",
  title: "first-load JS budget vs an empty page of the same build",
  async run(ctx: BenchContext) {
    if (!existsSync(".next/BUILD_ID")) throw new Error("first-load-js needs a production build: run npm run build first");
    await pointAppAt(ctx);
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-bench-js-"));
    const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, DATA_DIR: dataDir, WORKERS: "off", NODE_ENV: "production" },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; i < 100 && !(await fetch(`${base}/api/health/live`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
      const cookie = await signIn(base);
      const sizes = new Map<string, { scripts: number; gzip: number }>();
      for (const p of PAGES) {
        const res = await fetch(`${base}${p.path}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`${p.path} answered ${res.status}`);
        sizes.set(p.path, firstLoadJs(await res.text()));
      }
      const blank = sizes.get("/blank")!.gzip;
      return {
        columns: ["page", "scripts", "first-load JS (gzip)", "vs /blank", "budget"],
        rows: PAGES.map((p) => {
          const s = sizes.get(p.path)!;
          return [p.path, String(s.scripts), `${(s.gzip / 1024).toFixed(1)} KiB`, formatRatio(s.gzip / blank), p.budget ? `≤ ${p.budget}×` : ""];
        }),
        checks: PAGES.filter((p) => p.budget).map((p) => {
          const ratio = sizes.get(p.path)!.gzip / blank;
          return { label: `${p.path} ≤ ${p.budget}× the empty page (${formatRatio(ratio)})`, pass: ratio <= p.budget! };
        }),
        notes: [
          "Scripts are the /_next/ files each page's server-rendered HTML references, plus its inline scripts, gzip level 9. Wallet code (wagmi, viem, TanStack Query) loads only when someone connects a wallet or is signed in, so it is not part of first load.",
        ],
      };
    } finally {
      server.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

async function signIn(base: string): Promise<string> {
  const account = privateKeyToAccount(DEMO_ACCOUNTS[3].privateKey);
  const res = await signInWithWallet({ origin: base, address: account.address, chainId: 1, sign: (message) => account.signMessage({ message }), headers: { origin: base } });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}
