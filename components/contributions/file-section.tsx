import Link from "next/link";

import { CopyButton } from "@/components/contributions/copy-button";
import type { KnownContribution } from "@/lib/contributions/queries";
import { formatBytes, shortHash } from "@/lib/format";

/** The stored file's facts and its download, or a notice in its place when `withheld` from this viewer. */
export function FileSection({ contribution: c, withheld }: { contribution: KnownContribution; withheld: boolean }) {
  return (
    <section className="card" aria-labelledby="file-title">
      <h2 id="file-title">File</h2>
      <FileFacts contribution={c} />
      {withheld ? (
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
  );
}

function FileFacts({ contribution: c }: { contribution: KnownContribution }) {
  return (
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
  );
}
