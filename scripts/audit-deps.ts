/**
 * `npm run audit:deps` (CI): no high or critical advisory in the production dependencies.
 * 1. `npm audit --omit=dev`: fails on any high/critical finding. Some registries (mirrors) do not
 *    serve the advisory endpoint; then that is said plainly and step 2 still guards us.
 * 2. Known advisories of the framework the app is built on, with the version that fixed each:
 *    the installed versions must be at or above every fix (checked offline, always).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

interface Floor {
  pkg: string;
  fixed: string;
  advisories: string;
}

const FLOORS: Floor[] = [
  { pkg: "next", fixed: "15.2.3", advisories: "CVE-2025-29927 middleware authorization bypass (x-middleware-subrequest)" },
  { pkg: "next", fixed: "16.0.7", advisories: "CVE-2025-66478 / CVE-2025-55182 React Server Components remote code execution" },
  { pkg: "next", fixed: "16.0.10", advisories: "CVE-2025-55184, CVE-2025-55183 RSC denial of service and source exposure" },
  { pkg: "next", fixed: "16.2.3", advisories: "CVE-2026-23869 RSC denial of service" },
  { pkg: "next", fixed: "16.2.6", advisories: "May 2026 release: 13 advisories incl. proxy/middleware bypass, server-action and RSC DoS (CVE-2026-23870), cache poisoning, CSP-nonce XSS" },
  { pkg: "react", fixed: "19.2.6", advisories: "CVE-2026-23870 and earlier react-server-dom advisories" },
  { pkg: "react-dom", fixed: "19.2.6", advisories: "paired with react" },
];

const parse = (v: string) => v.split("-")[0]!.split(".").map(Number);
function atLeast(version: string, min: string): boolean {
  const [a, b] = [parse(version), parse(min)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

let failed = false;

const audit = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
try {
  const report = JSON.parse(audit.stdout) as { metadata?: { vulnerabilities?: Record<string, number> }; vulnerabilities?: Record<string, { severity: string; via: unknown[] }>; error?: { summary?: string; detail?: string } };
  if (report.error || !report.metadata) {
    console.log(`npm audit: the registry's advisory service is not reachable from here (${report.error?.summary || report.error?.detail?.split("\n")[0] || `exit ${audit.status}`}); relying on the pinned advisory floors below.`);
  } else {
    const v = report.metadata.vulnerabilities ?? {};
    const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, x]) => x.severity === "high" || x.severity === "critical");
    console.log(`npm audit --omit=dev: ${JSON.stringify(v)}`);
    for (const [name, x] of serious) console.error(`  ${x.severity}: ${name}`);
    if (serious.length) failed = true;
  }
} catch {
  console.log(`npm audit: no JSON report (exit ${audit.status}): ${(audit.stderr || audit.stdout).trim().split("\n").slice(-2).join(" ")}; relying on the pinned advisory floors below.`);
}

for (const f of FLOORS) {
  const installed = (JSON.parse(readFileSync(`node_modules/${f.pkg}/package.json`, "utf8")) as { version: string }).version;
  const ok = atLeast(installed, f.fixed);
  if (!ok) failed = true;
  console.log(`${ok ? "ok  " : "FAIL"} ${f.pkg} ${installed} ≥ ${f.fixed} (${f.advisories})`);
}

if (failed) {
  console.error("audit:deps failed: upgrade the packages above");
  process.exit(1);
}
console.log("audit:deps: no known high or critical advisory applies");
