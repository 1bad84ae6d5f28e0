import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { expect, type APIRequestContext } from "@playwright/test";

import { claimAssignmentOf } from "./assignments";
import { builtActions, callAction } from "./actions";

/**
 * A contribution verified through the API, as it happens for real: `owner` uploads (fresh bytes, so
 * never a duplicate), the AI agent votes, then each verifier claims the review and votes 90.
 * Answers its id and detail (status verified, a pending reward).
 */
export async function verifiedContribution(owner: APIRequestContext, verifiers: APIRequestContext[], baseURL: string, title: string) {
  const code = Buffer.concat([readFileSync("lib/verification/agents/alpha/fixtures/good-code.py"), Buffer.from(`# ${title} ${randomBytes(6).toString("hex")}\n`)]);
  const created = await owner.post("/api/v1/contributions", { multipart: { title, file_type: "code", file: { name: "work.py", mimeType: "text/x-python", buffer: code } } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  await expect.poll(async () => (await (await owner.get(`/api/v1/contributions/${id}`)).json()).verification_count, { timeout: 20_000 }).toBe(1);
  const vote = builtActions().get("ACTION lib/verification/actions.ts#castVoteAction")!;
  for (const v of verifiers) {
    await claimAssignmentOf(v, baseURL, id);
    expect((await callAction(v, baseURL, vote, [{ contributionId: id, voteScore: 90, reasoning: "Clear and tested." }], { id })).ok).toBe(true);
  }
  const detail = await (await owner.get(`/api/v1/contributions/${id}`)).json();
  expect(detail).toMatchObject({ status: "verified", reward: { status: "pending", tx_hash: null } });
  return { id, detail };
}
