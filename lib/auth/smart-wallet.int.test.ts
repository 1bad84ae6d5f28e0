import { once } from "node:events";
import net from "node:net";

import { ContractFactory } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";
import { compileSource } from "@/contracts/compile";
import { deployContracts, hardhatAccount, startHardhatNode, type Deployment, type LocalChain } from "@/contracts/local-chain";
import { rpcBreakerState } from "@/lib/chain/rpc";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { TEST_ORIGIN, newAccount, siweMessage } from "@/test/siwe";

/** A minimal ERC-1271 smart-contract wallet: a signature is valid when its owner made it. */
const WALLET = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;
contract TestSmartWallet {
    address public immutable owner;
    constructor(address owner_) { owner = owner_; }
    function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
        if (sig.length != 65) return 0xffffffff;
        bytes32 r; bytes32 s; uint8 v;
        assembly { r := calldataload(sig.offset) s := calldataload(add(sig.offset, 32)) v := byte(0, calldataload(add(sig.offset, 64))) }
        return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}`;

setupTestDatabase();
let chain: LocalChain;
let dep: Deployment;
let wallet: `0x${string}`;
const owner = newAccount();

beforeAll(async () => {
  chain = await startHardhatNode();
  dep = await deployContracts(chain.url);
  const { abi, bytecode } = compileSource("TestSmartWallet", WALLET);
  const deployed = await new ContractFactory(abi as never, bytecode, hardhatAccount(3).connect(dep.provider)).deploy(owner.address);
  await deployed.waitForDeployment();
  wallet = (await deployed.getAddress()) as `0x${string}`;
  process.env.CHAIN_RPC_URL = chain.url;
  resetEnvCache();
}, 60_000);

afterAll(async () => {
  delete process.env.CHAIN_RPC_URL;
  resetEnvCache();
  dep?.provider.destroy();
  await chain?.stop();
});

async function signIn(signer: typeof owner) {
  const { nonce } = await (await nonceRoute(new Request(`${TEST_ORIGIN}/api/auth/nonce`), undefined)).json();
  const message = siweMessage(signer, { nonce, address: wallet, chainId: 31337 });
  const signature = await signer.signMessage({ message });
  return verifyRoute(
    new Request(`${TEST_ORIGIN}/api/auth/verify`, { method: "POST", headers: { "content-type": "application/json", origin: TEST_ORIGIN }, body: JSON.stringify({ message, signature }) }),
    undefined,
  );
}

describe("Sign-In With Ethereum from a smart-contract wallet (ERC-1271), checked on chain", () => {
  it("signs the contract's address in when its owner signed", async () => {
    const res = await signIn(owner);
    expect(res.status).toBe(200);
    expect((await res.json()).address.toLowerCase()).toBe(wallet.toLowerCase());
    expect(res.headers.get("set-cookie")).toMatch(/nwu_session=/);
  });

  it("refuses a signature by anyone else (401), and answers 401 — not 500 — when the chain is unreachable", async () => {
    const res = await signIn(newAccount());
    expect(res.status).toBe(401);
    await chain.stop();
    const offline = await signIn(owner);
    expect(offline.status).toBe(401);
  });

  it("checks through the shared RPC client: CHAIN_TIMEOUT_MS bounds a silent node, and its breaker then refuses at once", async () => {
    // Accepts connections and never answers: a black-holed RPC endpoint.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket)).listen(0, "127.0.0.1");
    await once(silent, "listening");
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    process.env.CHAIN_RPC_URL = url;
    process.env.CHAIN_TIMEOUT_MS = "300";
    resetEnvCache();
    try {
      const started = Date.now();
      for (let i = 0; i < 3; i++) expect((await signIn(owner)).status).toBe(401);
      // Three sign-ins × two attempts of 300 ms (plus backoff): far below the 5 s a private client waited.
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(rpcBreakerState(url)).toBe("open");
      const fast = Date.now();
      expect((await signIn(owner)).status).toBe(401);
      expect(Date.now() - fast).toBeLessThan(250);
    } finally {
      delete process.env.CHAIN_TIMEOUT_MS;
      process.env.CHAIN_RPC_URL = chain.url;
      resetEnvCache();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
