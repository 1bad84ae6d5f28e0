/** `npm run contracts:compile`: writes contracts/artifacts/*.json (ABI + bytecode) with solc-js. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { artifactPath, compileContracts } from "@/contracts/compile";

for (const artifact of compileContracts()) {
  const file = artifactPath(artifact.contractName);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(artifact, null, 2)}\n`);
  console.log(`${artifact.contractName}: ${(artifact.bytecode.length - 2) / 2} bytes of init code (${artifact.compiler}) → ${path.relative(process.cwd(), file)}`);
}
