/**
 * Compiles the contracts with solc-js (pinned in package.json), offline and reproducibly: fixed
 * compiler, settings and source paths, OpenZeppelin resolved from node_modules. The same sources
 * always give the same ABI and bytecode (checked against the committed artifacts by a test).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

export const CONTRACTS = ["NWUToken", "NWUDistributor"] as const;
export type ContractName = (typeof CONTRACTS)[number];

export interface Artifact {
  contractName: ContractName;
  compiler: string;
  settings: { optimizer: { enabled: boolean; runs: number }; evmVersion: string };
  abi: unknown[];
  bytecode: `0x${string}`;
}

const ROOT = path.resolve(import.meta.dirname, "..");
const SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" };

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

export function compileContracts(): Artifact[] {
  const solc = require("solc") as { compile(input: string, opts: { import(p: string): { contents?: string; error?: string } }): string; version(): string };
  const sources = Object.fromEntries(CONTRACTS.map((name) => [`contracts/${name}.sol`, { content: readFileSync(path.join(ROOT, "contracts", `${name}.sol`), "utf8") }]));
  const input = {
    language: "Solidity",
    sources,
    settings: { ...SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const findImports = (importPath: string) => {
    try {
      return { contents: readFileSync(path.join(ROOT, "node_modules", importPath), "utf8") };
    } catch {
      return { error: `not found: ${importPath}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  return CONTRACTS.map((name) => {
    const out = output.contracts[`contracts/${name}.sol`]![name]!;
    return { contractName: name, compiler: solc.version(), settings: SETTINGS, abi: out.abi, bytecode: `0x${out.evm.bytecode.object}` };
  });
}

export const artifactPath = (name: ContractName) => path.join(ROOT, "contracts", "artifacts", `${name}.json`);

export function readArtifact(name: ContractName): Artifact {
  return JSON.parse(readFileSync(artifactPath(name), "utf8")) as Artifact;
}

/** Compiles one self-contained Solidity source (tests' helper contracts) with the same compiler and settings. */
export function compileSource(name: string, content: string): { abi: unknown[]; bytecode: `0x${string}` } {
  const solc = require("solc") as { compile(input: string): string };
  const input = { language: "Solidity", sources: { [`${name}.sol`]: { content } }, settings: { ...SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } } };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const out = output.contracts[`${name}.sol`]![name]!;
  return { abi: out.abi, bytecode: `0x${out.evm.bytecode.object}` };
}
