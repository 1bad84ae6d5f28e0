import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { APPEALED_STATUS, isOpen } from "@/db/vocabulary";
import { AppealSection } from "@/components/contributions/appeal-section";
import { CalibrationPanel } from "@/components/contributions/calibration-panel";
import { FileSection } from "@/components/contributions/file-section";
import { LiveStatus } from "@/components/contributions/live-status";
import { MetadataSection } from "@/components/contributions/metadata-section";
import { ModerationPanel } from "@/components/contributions/moderation-panel";
import { StatusTimeline } from "@/components/contributions/status-timeline";
import { VerdictSection } from "@/components/contributions/verdict-section";
import { VotesSection } from "@/components/contributions/votes-section";
import { PreviewSection } from "@/components/contributions/preview-section";
import { entityTimeline } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/authorize";
import { getContribution } from "@/lib/contributions/queries";
import { WITHHELD_STATUS, memoViewer, seesWithheld } from "@/lib/contributions/visibility";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { appealable } from "@/lib/verification/appeals";
import { APPEAL_STATEMENT_MAX } from "@/lib/verification/schemas";
import { calibrationView } from "@/lib/verification/calibration";
import { votesFor } from "@/lib/verification/queries";
import { pageCursor, rowOffset } from "@/lib/http/search-params";
import { rowsPageFor } from "@/lib/previews/rows";
import { withPageReads } from "@/lib/http/read-floor";

export const metadata: Metadata = { title: "Contribution", description: "A contribution to NWU Protocol: its file and preview, its verification votes, decision and reward." };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const VERIFICATIONS_PAGE = 20;

export default async function ContributionPage({ params, searchParams }: Props) {
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  const query = await searchParams;
  const cursor = pageCursor(query, "vcursor", true);
  const viewer = memoViewer(() => currentUser());
  let contribution;
  try {
    contribution = await withPageReads(() => getContribution(id.data, viewer));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const c = contribution;
  // Calibration is an admin's concern on open work only (and a calibration item's votes are theirs alone to see).
  const admin = isOpen(c.status) || c.calibration ? !!(await viewer())?.roles.includes("admin") : false;
  const withheld = c.contentWithheld;
  const [votes, timeline, calibration, rowsPage] = await Promise.all([
    votesFor(c, viewer, { cursor, limit: VERIFICATIONS_PAGE }),
    entityTimeline("contribution", id.data),
    admin && (c.calibration || (isOpen(c.status) && c.status !== APPEALED_STATUS)) ? calibrationView(c.id, c.verification_count) : null,
    withheld ? null : rowsPageFor({ cid: c.cid, size: c.size, mediaType: c.media_type, name: c.file_name }, c.preview, rowOffset(query)),
  ]);
  // Looked up only when withheld bytes or a halt reason are on the page.
  const privileged = c.contentWithheld || timeline.some((t) => t.toStatus === WITHHELD_STATUS) ? seesWithheld(await viewer(), c.owner) : true;
  // The appeal form is the owner's alone: nobody else sees an Appeal section before there is an appeal.
  const openToAppeal = appealable(c, c.appeal);
  const ownerMayAppeal = openToAppeal && (await viewer())?.address.toLowerCase() === c.owner.toLowerCase() ? openToAppeal : null;
  return (
    <article aria-labelledby="contribution-title">
      <h1 id="contribution-title">{c.title}</h1>
      <LiveStatus id={c.id} initial={{ status: c.status, qualityScore: c.quality_score, verificationCount: c.verification_count, reward: c.reward?.amount ?? null }} at={c.updated_at} />
      {c.halt_reason ? <p className="card">Moderation note: {c.halt_reason}</p> : null}
      <ModerationPanel contributionId={c.id} status={c.status} />
      <FileSection contribution={c} withheld={c.contentWithheld && !privileged} />
      <MetadataSection metadata={c.metadata} />
      <PreviewSection preview={c.preview} contributionId={c.id} withheld={c.contentWithheld && !privileged} rowsPage={rowsPage} />

      {calibration ? <CalibrationPanel contributionId={c.id} view={calibration} /> : null}

      {c.decision ? <VerdictSection decision={c.decision} underAppeal={c.appeal?.status === "open"} /> : null}

      <AppealSection appeal={c.appeal} appealable={ownerMayAppeal} contributionId={c.id} owner={c.owner} maxLength={APPEAL_STATEMENT_MAX} />

      <StatusTimeline timeline={timeline} privileged={privileged} />

      <VotesSection contributionId={c.id} votes={votes} />
    </article>
  );
}
