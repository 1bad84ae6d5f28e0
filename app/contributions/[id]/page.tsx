import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { FileSection } from "@/components/contributions/file-section";
import { LiveStatus } from "@/components/contributions/live-status";
import { ModerationPanel } from "@/components/contributions/moderation-panel";
import { StatusTimeline } from "@/components/contributions/status-timeline";
import { VerdictSection } from "@/components/contributions/verdict-section";
import { VotesSection } from "@/components/contributions/votes-section";
import { entityTimeline } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/authorize";
import { getContribution } from "@/lib/contributions/queries";
import { WITHHELD_STATUS, memoViewer, seesWithheld } from "@/lib/contributions/visibility";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { listVerifications } from "@/lib/verification/queries";
import { pageCursor } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Contribution" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const VERIFICATIONS_PAGE = 20;

export default async function ContributionPage({ params, searchParams }: Props) {
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  const cursor = pageCursor(await searchParams, "vcursor");
  const viewer = memoViewer(() => currentUser());
  let contribution;
  try {
    contribution = await getContribution(id.data, viewer);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const revealed = contribution.decided_at !== null;
  const viewerId = revealed ? null : ((await viewer())?.userId ?? null);
  const [votes, timeline] = await Promise.all([
    listVerifications({ contributionId: id.data, cursor, limit: VERIFICATIONS_PAGE, revealed, viewerId }),
    entityTimeline("contribution", id.data),
  ]);
  const c = contribution;
  // Looked up only when withheld bytes or a halt reason are on the page.
  const privileged = c.contentWithheld || timeline.some((t) => t.toStatus === WITHHELD_STATUS) ? seesWithheld(await viewer(), c.owner) : true;
  return (
    <article aria-labelledby="contribution-title">
      <h1 id="contribution-title">{c.title}</h1>
      <LiveStatus id={c.id} initial={{ status: c.status, qualityScore: c.quality_score, verificationCount: c.verification_count, reward: c.reward?.amount ?? null }} />
      {c.halt_reason ? <p className="card">Moderation note: {c.halt_reason}</p> : null}
      <ModerationPanel contributionId={c.id} status={c.status} />
      <FileSection contribution={c} withheld={c.contentWithheld && !privileged} />

      {c.decision ? <VerdictSection decision={c.decision} /> : null}

      <StatusTimeline timeline={timeline} privileged={privileged} />

      <VotesSection contributionId={c.id} votes={votes} />
    </article>
  );
}
