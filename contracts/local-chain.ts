/**
 * A local chain for tests, the e2e run and demos: `hardhat node` (pinned 2.29.1) on a free port
 * of 127.0.0.1, with the NWU token and distributor deployed and the treasury funded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

import { Contract, ContractFactory, HDNodeWallet, JsonRpcProvider, Mnemonic, parseUnits, type Wallet } from "ethers";

import { readArtifact } from "./compile";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Hardhat's well-known development mnemonic: its accounts are funded with ETH on every start. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const LOCAL_CHAIN_ID = 31337;
export const SUPPLY_CAP = parseUnits("1000000000", 18);
export const TREASURY_FUNDING = parseUnits("1000000", 18);

export function hardhatAccount(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(HARDHAT_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalChain {
  url: string;
  port: number;
  process: ChildProcess;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export async function rpcRequest<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Starts `hardhat node` and resolves once it answers JSON-RPC. */
export async function startHardhatNode(port?: number): Promise<LocalChain> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/hardhat/internal/cli/cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(p)], {
    cwd: ROOT,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", DO_NOT_TRACK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${p}`;
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`hardhat node exited (${code}): ${output}`))));
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      try {
        await rpcRequest(url, "eth_chainId");
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`hardhat node did not answer on ${url}: ${output}`);
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => {});
  return {
    url,
    port: p,
    process: child,
    rpc: (method, params) => rpcRequest(url, method, params),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface Deployment {
  token: string;
  distributor: string;
  /** Owns the token and the distributor; signs payouts (PAYOUT_PRIVATE_KEY). */
  owner: Wallet | HDNodeWallet;
  provider: JsonRpcProvider;
  /** The environment that points the app at this deployment. */
  env: Record<string, string>;
  balanceOf(address: string): Promise<bigint>;
}

/**
 * Deploys NWUToken (owner = hardhat account #19, cap 1e9 NWU) and NWUDistributor (same owner),
 * makes the owner a minter and funds the distributor (the treasury) with 1,000,000 NWU.
 */
export async function deployContracts(url: string, ownerIndex = 19): Promise<Deployment> {
  // cacheTimeout -1: hardhat auto-mines, and a cached nonce right after a deploy says "nonce too low".
  const provider = new JsonRpcProvider(url, LOCAL_CHAIN_ID, { cacheTimeout: -1, staticNetwork: true, pollingInterval: 50 });
  const owner = hardhatAccount(ownerIndex).connect(provider);
  const tokenArtifact = readArtifact("NWUToken");
  const distributorArtifact = readArtifact("NWUDistributor");
  const token = await new ContractFactory(tokenArtifact.abi as never, tokenArtifact.bytecode, owner).deploy(owner.address, SUPPLY_CAP);
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();
  const distributor = await new ContractFactory(distributorArtifact.abi as never, distributorArtifact.bytecode, owner).deploy(tokenAddress, owner.address);
  await distributor.waitForDeployment();
  const distributorAddress = await distributor.getAddress();
  const tokenAsOwner = new Contract(tokenAddress, tokenArtifact.abi as never, owner);
  await (await tokenAsOwner.getFunction("setMinter")(owner.address, true)).wait();
  await (await tokenAsOwner.getFunction("mint")(distributorAddress, TREASURY_FUNDING)).wait();
  const reader = new Contract(tokenAddress, tokenArtifact.abi as never, provider);
  return {
    token: tokenAddress,
    distributor: distributorAddress,
    owner,
    provider,
    env: {
      CHAIN_RPC_URL: url,
      CHAIN_ID: String(LOCAL_CHAIN_ID),
      TOKEN_ADDRESS: tokenAddress,
      DISTRIBUTOR_ADDRESS: distributorAddress,
      PAYOUT_PRIVATE_KEY: owner.privateKey,
    },
    balanceOf: async (address) => (await reader.getFunction("balanceOf")(address)) as bigint,
  };
}
