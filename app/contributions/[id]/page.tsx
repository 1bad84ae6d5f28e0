import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { CopyButton } from "@/components/contributions/copy-button";
import { LiveStatus } from "@/components/contributions/live-status";
import { ModerationPanel } from "@/components/contributions/moderation-panel";
import { entityTimeline } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/authorize";
import { getContribution } from "@/lib/contributions/queries";
import { WITHHELD_STATUS, memoViewer, seesWithheld } from "@/lib/contributions/visibility";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { formatBytes, formatDateTime, shortHash } from "@/lib/format";
import { listVerifications } from "@/lib/verifications/queries";
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
  const [votes, timeline] = await Promise.all([
    listVerifications({ contributionId: id.data, cursor, limit: VERIFICATIONS_PAGE }),
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
      <section className="card" aria-labelledby="file-title">
        <h2 id="file-title">File</h2>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{c.file_name}</dd>
          </div>
          <div>
            <dt>Type</dt>
            <dd>
              {c.file_type} ({c.media_type})
            </dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{formatBytes(c.size)}</dd>
          </div>
          <div>
            <dt>CID</dt>
            <dd className="mono" data-testid="cid" title={c.cid}>
              {shortHash(c.cid, 16, 8)} <CopyButton value={c.cid} label="Copy CID" />
            </dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd className="mono" title={c.sha256}>
              {shortHash(c.sha256)}
            </dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd className="mono">
              <Link href={`/contributions?owner=${c.owner}`}>{c.owner}</Link>
            </dd>
          </div>
          {c.duplicate_of ? (
            <div>
              <dt>Duplicate of</dt>
              <dd>
                <Link href={`/contributions/${c.duplicate_of}`}>the earlier upload</Link> (duplicates earn no reward)
              </dd>
            </div>
          ) : null}
        </dl>
        {c.contentWithheld && !privileged ? (
          <p data-testid="withheld">These bytes are withheld: a contribution with the same content was halted by moderation.</p>
        ) : (
          <p>
            <a className="button button-primary" href={`/api/v1/contributions/${c.id}/file`} download data-testid="download">
              Download
            </a>
          </p>
        )}
        {c.description ? <p className="description">{c.description}</p> : null}
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title" className="section-title">
          Timeline
        </h2>
        <ol className="timeline" data-testid="timeline">
          {timeline.map((t) => (
            <li key={t.id}>
              <strong>{t.toStatus ?? t.action}</strong> · {formatDateTime(t.createdAt)}
              {t.actor ? <span className="mono"> · {shortHash(t.actor, 6, 4)}</span> : t.actorKind !== "user" ? ` · ${t.actorKind}` : null}
              {t.reason && (privileged || t.toStatus !== WITHHELD_STATUS) ? ` — ${t.reason}` : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="votes-title">
        <h2 id="votes-title" className="section-title">
          Verifications
        </h2>
        {votes.items.length === 0 ? (
          <p className="card">No votes yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="verifications-table">
              <thead>
                <tr>
                  <th scope="col">Verifier</th>
                  <th scope="col">Score</th>
                  <th scope="col">Reasoning</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {votes.items.map((v) => (
                  <tr key={v.id}>
                    <td className="mono">{v.verifier ? shortHash(v.verifier, 6, 4) : `agent ${v.agent_id}`}</td>
                    <td>{v.vote_score}</td>
                    <td>{v.reasoning}</td>
                    <td>{formatDateTime(v.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {votes.nextCursor ? (
          <Link className="button button-secondary" href={`/contributions/${c.id}?vcursor=${votes.nextCursor}`}>
            More votes
          </Link>
        ) : null}
      </section>
    </article>
  );
}
