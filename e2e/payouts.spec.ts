import { Contract, Interface, JsonRpcProvider, parseUnits } from "ethers";

import { readArtifact } from "../contracts/compile";

import { expect, test } from "./fixtures";
import { AdminPayouts } from "./pages/admin-payouts";
import { verifiedContribution } from "./support/verified-contribution";
// The local chain scripts/e2e-server.ts started (hardhat node, contracts deployed).
const CHAIN_URL = `http://127.0.0.1:${process.env.E2E_CHAIN_PORT ?? 3245}`;

test("an admin pays pending rewards on chain; the contributor's wallet shows them distributed with the transaction", async ({ asOtherContributor: contributor, asVerifier, asVerifier2, asAdmin: { page }, baseURL }) => {
  test.setTimeout(120_000);
  // A verified contribution with a pending reward, made through the API: upload, the AI vote, two verifiers.
  const owner = contributor.request;
  const address = contributor.address.toLowerCase();
  const { id, detail } = await verifiedContribution(owner, [asVerifier.request, asVerifier2.request], baseURL!, "Paid on chain");
  const amount = detail.reward.amount as string;

  // The admin pays from /admin.
  const payouts = new AdminPayouts(page);
  await payouts.goto();
  await expect(page.getByTestId("payout-config")).toContainText("Hardhat");
  await payouts.payPendingAndWait();

  // The contributor's wallet page: distributed, with the transaction hash.
  const rewards = await (await owner.get(`/api/v1/users/${address}/rewards?status=distributed`)).json();
  const reward = rewards.items.find((r: { contribution_id: string }) => r.contribution_id === id);
  expect(reward).toMatchObject({ status: "distributed", chain_id: 31337, tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), failure_reason: null });
  const cpage = contributor.page;
  await cpage.goto("/wallet?tab=distributed");
  const row = cpage.getByTestId("reward-row").filter({ has: cpage.getByRole("link", { name: "Paid on chain" }) });
  await expect(row).toHaveAttribute("data-status", "distributed");
  await expect(row.getByTestId("status-badge")).toHaveText("distributed");
  await expect(row.getByTestId("reward-tx")).toHaveAttribute("data-tx-hash", reward.tx_hash);
  await expect(row.getByTestId("reward-tx")).toContainText(reward.tx_hash.slice(0, 10));

  // Tokens arrived: the transaction is mined and transferred exactly this reward to the contributor.
  const provider = new JsonRpcProvider(CHAIN_URL, 31337, { staticNetwork: true });
  try {
    const receipt = await provider.getTransactionReceipt(reward.tx_hash);
    expect(receipt?.status).toBe(1);
    const token = new Interface(readArtifact("NWUToken").abi as never);
    const transfers = receipt!.logs.map((log) => token.parseLog(log)).filter((e) => e?.name === "Transfer");
    expect(transfers.some((e) => String(e!.args.to).toLowerCase() === address && e!.args.value === parseUnits(amount, 18))).toBe(true);
    const balance = (await new Contract(receipt!.logs[0]!.address, readArtifact("NWUToken").abi as never, provider).getFunction("balanceOf")(address)) as bigint;
    expect(balance).toBeGreaterThanOrEqual(parseUnits(amount, 18));
  } finally {
    provider.destroy();
  }
});
