import { ContractFactory } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";
import { compileSource } from "@/contracts/compile";
import { deployContracts, hardhatAccount, startHardhatNode, type Deployment, type LocalChain } from "@/contracts/local-chain";
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
});
