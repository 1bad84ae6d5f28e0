/**
 * `npm run chain`: a local chain for trying payouts on one machine — `hardhat node` on
 * 127.0.0.1:8545 with the NWU token and distributor deployed and the treasury funded. Prints the
 * environment to start the app with; Ctrl-C stops it.
 */
import { deployContracts, startHardhatNode } from "@/contracts/local-chain";

const chain = await startHardhatNode(Number(process.env.CHAIN_PORT ?? 8545));
const dep = await deployContracts(chain.url);
dep.provider.destroy();
console.log(`Local chain on ${chain.url} (chain id 31337). Start the app with:\n`);
for (const [k, v] of Object.entries(dep.env)) console.log(`${k}=${v}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void chain.stop().then(() => process.exit(0)));
