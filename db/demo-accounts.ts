/**
 * Demo wallets: the well-known Hardhat/Anvil development keys (public knowledge, worthless on any
 * real chain). Importing one into a browser wallet lets anyone walk every role on one machine.
 */
export const DEMO_ACCOUNTS = [
  {
    label: "Demo admin",
    username: "demo-admin",
    roles: ["contributor", "verifier", "admin"],
    address: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
    privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  },
  {
    label: "Demo verifier 1",
    username: "demo-verifier-1",
    roles: ["contributor", "verifier"],
    address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
    privateKey: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  },
  {
    label: "Demo verifier 2",
    username: "demo-verifier-2",
    roles: ["contributor", "verifier"],
    address: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
    privateKey: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  },
  {
    label: "Demo contributor 1",
    username: "demo-contributor-1",
    roles: ["contributor"],
    address: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
    privateKey: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  },
  {
    label: "Demo contributor 2",
    username: "demo-contributor-2",
    roles: ["contributor"],
    address: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
    privateKey: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  },
  // Two more verifiers: with the admin they make a fresh appeal panel (APPEAL_QUORUM 3) for work the
  // AI and verifiers 1 and 2 rejected.
  {
    label: "Demo verifier 3",
    username: "demo-verifier-3",
    roles: ["contributor", "verifier"],
    address: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
    privateKey: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  },
  {
    label: "Demo verifier 4",
    username: "demo-verifier-4",
    roles: ["contributor", "verifier"],
    address: "0x976ea74026e726554db657fa54763abd0c3a0aa9",
    privateKey: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  },
] as const;

const BY_ADDRESS: ReadonlyMap<string, (typeof DEMO_ACCOUNTS)[number]> = new Map(DEMO_ACCOUNTS.map((a) => [a.address, a]));

/** The demo account with this address (any case), if it is one. */
export function demoAccountFor(address: string): (typeof DEMO_ACCOUNTS)[number] | undefined {
  return BY_ADDRESS.get(address.toLowerCase());
}
