import type { APIRequestContext } from "@playwright/test";

interface Held {
  id: string;
  contribution_id: string;
}

/**
 * Reviews are assigned at random: a verifier reaches a given contribution the way a person would,
 * by taking assignments and skipping the others (skipped work is never offered to them again), here
 * through /api/v1/assignments on their session. Throws when the contribution is not offered (not
 * open, theirs, or no longer short of reviewers).
 */
export async function claimAssignmentOf(api: APIRequestContext, baseURL: string, contributionId: string): Promise<void> {
  const write = { headers: { origin: baseURL } };
  const ok = async <T>(res: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<T> => {
    if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { items: mine } = await ok<{ items: Held[] }>(await api.get("/api/v1/assignments"), "listing assignments");
    if (mine.some((a) => a.contribution_id === contributionId)) return;
    const { assignment, full } = await ok<{ assignment: Held | null; full: boolean }>(await api.post("/api/v1/assignments", write), "claiming an assignment");
    if (assignment?.contribution_id === contributionId) return;
    const toSkip = full ? mine : assignment ? [assignment] : [];
    if (toSkip.length === 0) throw new Error(`contribution ${contributionId} was not offered to this verifier`);
    for (const a of toSkip) await ok(await api.delete(`/api/v1/assignments/${a.id}`, write), "skipping an assignment");
  }
  throw new Error(`contribution ${contributionId} was not offered within 1000 draws`);
}
