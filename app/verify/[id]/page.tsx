import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { PreviewSection } from "@/components/contributions/preview-section";
import { VoteForm } from "@/components/verify/vote-form";
import { VoteOutcome } from "@/components/verify/vote-outcome";
import { isOpen } from "@/db/vocabulary";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";
import { getContribution } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { SUB_SCORES } from "@/lib/verification/agents/types";
import { holdsAssignment } from "@/lib/verification/assignments";
import { ownBallotOutcome } from "@/lib/verification/queries";
import { storedPreview } from "@/lib/previews/stored";
import { rowOffset, type SearchParams } from "@/lib/http/search-params";
import { rowsPageFor } from "@/lib/previews/rows";

export const metadata: Metadata = { title: "Review", description: "Review an assigned contribution: score it on each criterion and give your reasons." };

export default async function ReviewPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const user = await pageUser("verifier");
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  let c;
  try {
    c = await getContribution(id.data, async () => user);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  // Decided: the decision as it stands (null while sealed, an appeal's panel voting included).
  const decision = c.decided_at !== null ? c.decision : null;
  const [ballot, assigned, preview] = await Promise.all([ownBallotOutcome(c.id, user.userId, decision), holdsAssignment(c.id, user.userId), c.contentWithheld ? null : (c.preview ?? storedPreview({ cid: c.cid, size: c.size, mediaType: c.media_type, name: c.file_name }).then((p) => p.preview))]);
  const rowsPage = c.contentWithheld ? null : await rowsPageFor({ cid: c.cid, size: c.size, mediaType: c.media_type, name: c.file_name }, preview, rowOffset(await searchParams));
  const own = c.userId === user.userId;
  const open = isOpen(c.status);
  return (
    <>
      <h1>Review: {c.title}</h1>
      <p>
        {c.file_type} · {c.media_type} · {formatBytes(c.size)} · <Link href={`/contributions/${c.id}`}>contribution page</Link> ·{" "}
        <a href={`/api/v1/contributions/${c.id}/file`} download>
          download
        </a>
      </p>
      {c.description ? <p className="description">{c.description}</p> : null}
      {c.appeal?.status === "open" ? (
        <section className="card" aria-labelledby="appeal-title" data-testid="review-appeal">
          <h2 id="appeal-title">Under appeal</h2>
          <p>
            Its owner appealed a rejection (first-round score {c.appeal.first_score ?? "—"}). You are on the fresh panel: your votes alone decide. The owner says:
          </p>
          <blockquote className="description">{c.appeal.statement}</blockquote>
        </section>
      ) : null}
      <PreviewSection preview={preview} contributionId={c.id} withheld={c.contentWithheld} rowsPage={rowsPage} />
      {own ? (
        <p className="card">This is your own contribution: you cannot vote on it.</p>
      ) : ballot ? (
        <VoteOutcome contribution={c} decision={decision} ballot={ballot} quorum={c.appeal?.status === "open" ? getEnv().APPEAL_QUORUM : getEnv().MIN_VERIFICATIONS} />
      ) : !open ? (
        <p className="card">This contribution is {c.status}; voting is closed.</p>
      ) : !assigned ? (
        <p className="card" data-testid="not-assigned">
          This contribution is not assigned to you (or your assignment expired). Reviews are assigned at random: <Link href="/verify">take your next assignment</Link>.
        </p>
      ) : (
        <VoteForm contributionId={c.id} subScores={[...SUB_SCORES[c.file_type]]} />
      )}
    </>
  );
}
