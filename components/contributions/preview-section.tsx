import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { formatBytes } from "@/lib/format";
import type { Preview } from "@/lib/previews/contribution-preview";
import type { RowsPage } from "@/lib/previews/rows";

type Of<K extends Preview["kind"]> = Extract<Preview, { kind: K }>;

function ArchiveView({ preview }: { preview: Of<"archive"> }) {
  const { listing } = preview;
  const unsafe = listing.entries.filter((e) => e.unsafe).length;
  return (
    <>
      <p data-testid="archive-summary">
        {listing.format} archive: {listing.declared_entries ?? listing.entries.length} entr{(listing.declared_entries ?? listing.entries.length) === 1 ? "y" : "ies"}
        {listing.partial ? ` (listed: ${listing.reason})` : ""}, {formatBytes(listing.declared_bytes)} declared once extracted
        {preview.shown < (listing.declared_entries ?? preview.shown) ? `; the first ${preview.shown} shown` : ""}. Nothing is extracted.
        {unsafe ? ` ${unsafe} entr${unsafe === 1 ? "y is" : "ies are"} flagged unsafe.` : ""}
      </p>
      <div className="table-wrap table-scroll" tabIndex={0} aria-label="Archive entries">
        <table className="table" data-testid="archive-entries">
          <ColumnHeads names={["Path", "Kind", "Size", "Warning"]} />
          <tbody>
            {listing.entries.map((e, i) => (
              <tr key={i}>
                <td className="mono">{e.path}</td>
                <td>{e.target ? `${e.kind} → ${e.target}` : e.kind}</td>
                <td>{e.kind === "directory" ? "—" : formatBytes(e.size)}</td>
                <td>{e.unsafe ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ArrayView({ preview }: { preview: Of<"array"> }) {
  const { array } = preview;
  return (
    <div data-testid="array-preview">
      <p>
        NumPy array: dtype <code>{array.dtype}</code>, shape ({array.shape.join(" × ") || "scalar"}), {array.elements.toLocaleString("en-US")} elements
        {array.fortran_order ? ", Fortran order" : ""}.
      </p>
      {array.first.length ? <pre className="preview">First values: {array.first.map(String).join(", ")}</pre> : null}
    </div>
  );
}

const summaryOf = (c: Of<"table">["columns"][number]) =>
  c.mean !== undefined ? `min ${c.min}, max ${c.max}, mean ${c.mean}` : c.top?.length ? `${c.distinct} distinct; top: ${c.top.map((t) => `${t.value || "∅"} (${t.count})`).join(", ")}` : "";

/** Which rows are shown, and links to the pages around them (`?rows=N`, served by lib/previews/rows.ts). */
function RowsNav({ preview, page }: { preview: Of<"table">; page: RowsPage | null }) {
  const offset = page?.offset ?? 0;
  const shown = page?.rows.length ?? preview.rows.length;
  const total = page?.total_rows ?? preview.total_rows;
  const next = page ? page.next_offset : preview.truncated ? preview.rows.length : null;
  if (offset === 0 && next === null) return null;
  return (
    <nav aria-label="Rows" className="pager" data-testid="rows-nav">
      <p>
        {shown ? `Rows ${(offset + 1).toLocaleString("en-US")}–${(offset + shown).toLocaleString("en-US")}` : "No rows here"}
        {total !== undefined ? ` of ${total.toLocaleString("en-US")}` : ""}.{page?.reason ? ` No further rows: ${page.reason}.` : ""}
      </p>
      {offset > 0 ? <Link href={`?rows=${Math.max(0, offset - PAGE)}`}>← Previous {PAGE} rows</Link> : null}
      {next !== null ? <Link href={`?rows=${next}`}>Next {PAGE} rows →</Link> : null}
    </nav>
  );
}

const PAGE = 100;

function TableView({ preview, page }: { preview: Of<"table">; page: RowsPage | null }) {
  const { sample } = preview;
  const rows = page?.rows ?? preview.rows;
  return (
    <>
      {preview.reason ? <p data-testid="table-reason">No rows shown: {preview.reason}.</p> : null}
      <p data-testid="table-sample">
        {preview.format.toUpperCase()}
        {preview.table ? ` table ${preview.table}${preview.tables && preview.tables.length > 1 ? ` (the first of ${preview.tables.length}: ${preview.tables.join(", ")})` : ""}` : ""}: {preview.columns.length} column{preview.columns.length === 1 ? "" : "s"}; statistics over {sample.whole_file ? "the whole file" : `a sample of the first ${sample.rows.toLocaleString("en-US")} rows (${formatBytes(sample.bytes)})`}.
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="preview-columns">
          <ColumnHeads names={["Column", "Type", "Nulls", "Summary"]} />
          <tbody>
            {preview.columns.map((c) => (
              <tr key={c.name}>
                <td className="mono">{c.name}</td>
                <td>{c.type}</td>
                <td>{c.nulls}</td>
                <td>{summaryOf(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-wrap table-scroll" tabIndex={0} aria-label="First rows">
        <table className="table" data-testid="preview-table">
          <ColumnHeads names={page?.columns ?? preview.columns.map((c) => c.name)} />
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ImageView({ preview, contributionId }: { preview: Of<"image">; contributionId: string }) {
  return (
    <div data-testid="image-preview">
      <p>
        {preview.media_type}
        {preview.width && preview.height ? `, ${preview.width} × ${preview.height} px` : ""}
        {preview.reason ? `; no thumbnail: ${preview.reason}` : ""}.
      </p>
      {preview.thumbnail ? (
        // A thumbnail made on the server (WebP, ≤ 256 px), never the upload's own bytes.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={`/api/v1/contributions/${contributionId}/thumbnail`} alt="Thumbnail of the uploaded image" className="thumbnail" loading="lazy" />
      ) : null}
    </div>
  );
}

/** What a reviewer or visitor can see of the file without downloading it. */
export function PreviewSection({ preview, contributionId, withheld = false, rowsPage = null }: { preview: Preview | null; contributionId: string; withheld?: boolean; rowsPage?: RowsPage | null }) {
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {withheld ? (
        <p data-testid="withheld">No preview: these bytes are withheld (a contribution with the same content was halted by moderation).</p>
      ) : !preview ? (
        <p data-testid="preview-pending">The preview is being prepared; reload in a moment.</p>
      ) : preview.kind === "binary" ? (
        <p>No preview for {preview.media_type}; download the file to review it.</p>
      ) : preview.kind === "unreadable" ? (
        <p data-testid="preview-unreadable">
          This {preview.media_type} file cannot be read: {preview.reason}.
        </p>
      ) : preview.kind === "pdf" ? (
        <div data-testid="preview-pdf">
          <p>
            PDF, {preview.pages} page{preview.pages === 1 ? "" : "s"}. The first page&apos;s text:
          </p>
          <pre className="preview">{preview.text || "(no text on the first page: scanned, or images only)"}</pre>
        </div>
      ) : preview.kind === "archive" ? (
        <ArchiveView preview={preview} />
      ) : preview.kind === "array" ? (
        <ArrayView preview={preview} />
      ) : preview.kind === "image" ? (
        <ImageView preview={preview} contributionId={contributionId} />
      ) : preview.kind === "table" ? (
        <TableView preview={preview} page={rowsPage} />
      ) : preview.kind === "code" ? (
        // Escaped and highlighted on the server by shiki (inline styles only).
        <div className="preview code-preview" data-testid="preview-code" data-language={preview.language} dangerouslySetInnerHTML={{ __html: preview.html }} />
      ) : preview.kind === "markdown" ? (
        // Rendered on the server with raw HTML escaped; images from elsewhere are links, not loaded.
        <div className="markdown-preview" data-testid="preview-markdown" dangerouslySetInnerHTML={{ __html: preview.html }} />
      ) : (
        <pre className="preview" data-testid="preview-text">
          {preview.text}
        </pre>
      )}
      {preview && (preview.kind === "text" || preview.kind === "code" || preview.kind === "markdown" || preview.kind === "pdf") && preview.truncated ? <p>Showing the beginning of the file only.</p> : null}
      {preview && preview.kind === "table" ? <RowsNav preview={preview} page={rowsPage} /> : null}
    </section>
  );
}
