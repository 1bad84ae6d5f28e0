import { Contract, Interface, parseUnits, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DISTRIBUTOR_ABI, TOKEN_ABI } from "@/lib/chain/abi";

import { compileContracts, readArtifact } from "./compile";
import { deployContracts, hardhatAccount, startHardhatNode, SUPPLY_CAP, TREASURY_FUNDING, type Deployment, type LocalChain } from "./local-chain";

describe("compilation", () => {
  it("solc-js reproduces the committed ABI and bytecode exactly (run npm run contracts:compile after editing a .sol)", () => {
    for (const artifact of compileContracts()) {
      const committed = readArtifact(artifact.contractName);
      expect(artifact.compiler).toMatch(/^0\.8\.26\+/);
      expect(artifact.abi).toEqual(committed.abi);
      expect(artifact.bytecode === committed.bytecode).toBe(true);
    }
  });

  it("the server's human-readable ABI matches what solc produced", () => {
    const pairs = [
      [TOKEN_ABI, new Interface(readArtifact("NWUToken").abi as never)],
      [DISTRIBUTOR_ABI, new Interface(readArtifact("NWUDistributor").abi as never)],
    ] as const;
    for (const [ours, compiled] of pairs) {
      const mine = new Interface(ours);
      for (const f of mine.fragments) {
        const sig = f.format("sighash");
        if (f.type === "function") expect(compiled.getFunction(sig)?.format("full")).toBe(mine.getFunction(sig)!.format("full"));
        else if (f.type === "event") expect(compiled.getEvent(sig)?.topicHash).toBe(mine.getEvent(sig)!.topicHash);
        else if (f.type === "error" && !sig.startsWith("ERC20") && !sig.startsWith("EnforcedPause")) expect(compiled.getError(sig)?.selector).toBeDefined();
      }
    }
  });
});

/** The custom error a call reverted with, decoded against both contracts' ABIs. */
const errors = new Interface([...readArtifact("NWUToken").abi, ...readArtifact("NWUDistributor").abi].filter((f) => (f as { type: string }).type === "error") as never);
async function revertName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: string }).data;
    return data ? (errors.parseError(data)?.name ?? `unknown ${data}`) : String(error);
  }
  return "did not revert";
}

describe("on a local chain", () => {
  let chain: LocalChain;
  let dep: Deployment;
  let token: Contract;
  let distributor: Contract;
  const stranger = () => hardhatAccount(7).connect(dep.provider);

  beforeAll(async () => {
    chain = await startHardhatNode();
    dep = await deployContracts(chain.url);
    token = new Contract(dep.token, readArtifact("NWUToken").abi as never, dep.owner);
    distributor = new Contract(dep.distributor, readArtifact("NWUDistributor").abi as never, dep.owner);
  }, 60_000);
  afterAll(async () => {
    dep?.provider.destroy();
    await chain?.stop();
  });

  it("NWU: name, symbol, 18 decimals, capped supply, the treasury funded", async () => {
    expect(await token.getFunction("name")()).toBe("NWU Protocol Token");
    expect(await token.getFunction("symbol")()).toBe("NWU");
    expect(await token.getFunction("decimals")()).toBe(18n);
    expect(await token.getFunction("cap")()).toBe(SUPPLY_CAP);
    expect(await token.getFunction("balanceOf")(dep.distributor)).toBe(TREASURY_FUNDING);
  });

  it("only minters the owner named can mint, never past the cap", async () => {
    const s = stranger();
    expect(await revertName((token.connect(s) as Contract).getFunction("mint")(s.address, 1n))).toBe("NotMinter");
    expect(await revertName((token.connect(s) as Contract).getFunction("setMinter")(s.address, true))).toBe("OwnableUnauthorizedAccount");
    const supply = (await token.getFunction("totalSupply")()) as bigint;
    expect(await revertName(token.getFunction("mint")(s.address, SUPPLY_CAP - supply + 1n))).toBe("ERC20ExceededCap");
  });

  it("pausing stops every transfer, including payouts, until unpaused", async () => {
    const s = stranger();
    await (await token.getFunction("pause")()).wait();
    expect(await revertName(distributor.getFunction("distribute")(ZeroHash.replace(/0$/, "1"), [s.address], [1n]))).toBe("EnforcedPause");
    await (await token.getFunction("unpause")()).wait();
  });

  it("the distributor pays a batch once, to the owner's order only", async () => {
    const s = stranger();
    const id = `0x${"ab".repeat(32)}`;
    expect(await revertName((distributor.connect(s) as Contract).getFunction("distribute")(id, [s.address], [1n]))).toBe("OwnableUnauthorizedAccount");
    expect(await revertName(distributor.getFunction("distribute")(id, [s.address], []))).toBe("BadBatch");
    const before = (await token.getFunction("balanceOf")(s.address)) as bigint;
    await (await distributor.getFunction("distribute")(id, [s.address], [parseUnits("1.5", 18)])).wait();
    expect(await distributor.getFunction("paid")(id)).toBe(true);
    expect(await revertName(distributor.getFunction("distribute")(id, [s.address], [parseUnits("1.5", 18)]))).toBe("BatchAlreadyPaid");
    expect(await token.getFunction("balanceOf")(s.address)).toBe(before + parseUnits("1.5", 18));
  });
});
