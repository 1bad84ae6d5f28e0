import { describe, expect, it } from "vitest";

import { chainName, txUrl } from "./chains";

describe("chains", () => {
  it("name chains and link transactions from viem's chain objects", () => {
    expect(chainName(1)).toBe("Ethereum");
    expect(chainName(31337)).toBe("Hardhat");
    expect(chainName(999_999)).toBe("chain 999999");
    expect(txUrl(11155111, "0xabc")).toBe("https://sepolia.etherscan.io/tx/0xabc");
    expect(txUrl(31337, "0xabc")).toBeNull();
    expect(txUrl(null, "0xabc")).toBeNull();
  });
});
