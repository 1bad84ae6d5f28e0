// The local chain for tests and the e2e run (`hardhat node`): contracts are compiled by solc-js
// (scripts/compile-contracts.ts), not by Hardhat, so no compiler download is ever attempted.
/** @type {import("hardhat/config").HardhatUserConfig} */
module.exports = {
  networks: { hardhat: { chainId: 31337, mining: { auto: true } } },
};
