import { LICENCE_KEY, licenceName } from "@/lib/contributions/licences";

/** A metadata value for reading: text as is, anything else as compact JSON. */
const readable = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** The uploader's metadata: the licence first (named, linked to SPDX when it is an SPDX id), then the other keys. */
export function MetadataSection({ metadata }: { metadata: Record<string, unknown> }) {
  const { [LICENCE_KEY]: licence, ...rest } = metadata;
  const others = Object.entries(rest);
  if (licence === undefined && others.length === 0) return null;
  const name = typeof licence === "string" ? licenceName(licence) : undefined;
  return (
    <section className="card" aria-labelledby="metadata-title" data-testid="metadata">
      <h2 id="metadata-title">Metadata</h2>
      <dl className="facts metadata-facts">
        {licence !== undefined ? (
          <div>
            <dt>Licence</dt>
            <dd data-testid="licence">
              {name ? (
                <a href={`https://spdx.org/licenses/${encodeURIComponent(licence as string)}.html`} rel="noreferrer">
                  {name} ({licence as string})
                </a>
              ) : (
                readable(licence)
              )}
            </dd>
          </div>
        ) : null}
        {others.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{readable(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
