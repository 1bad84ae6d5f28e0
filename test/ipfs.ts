/** An embedded IPFS node of a test file's own: blocks under a fresh DATA_DIR, stopped and removed after. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { resetEnvCache } from "@/lib/config/env";
import { stopIpfs } from "@/lib/ipfs/node";

/** Call at the top of a test file; returns the data directory (blocks are under `<dir>/ipfs/blocks`). */
export function setupTestIpfs(prefix: string): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `nwu-${prefix}-`));
  beforeAll(() => {
    process.env.DATA_DIR = dataDir;
    resetEnvCache();
  });
  afterAll(async () => {
    await stopIpfs();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}
