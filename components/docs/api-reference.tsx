import { Fragment } from "react";

import { ColumnHeads } from "@/components/column-heads";
import type { DocOperation, Field } from "@/lib/api/docs";

/** Text whose `backticked` spans are code: the OpenAPI descriptions are written that way. */
export function Prose({ text }: { text: string }) {
  return text.split("`").map((part, i) => (i % 2 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>));
}

const anchor = (name: string) => `schema-${name}`;

function TypeCell({ field }: { field: Field }) {
  return <code>{field.ref ? <a href={`#${anchor(field.ref)}`}>{field.type}</a> : field.type}</code>;
}

export function FieldTable({ fields, label }: { fields: Field[]; label: string }) {
  if (!fields.length) return null;
  return (
    <div className="table-wrap">
      <table className="table api-fields" aria-label={label}>
        <ColumnHeads names={["Name", "Type", "Description"]} />
        <tbody>
          {fields.map((f) => (
            <tr key={f.name || f.type}>
              <td className="mono">
                {f.name || "—"}
                {f.required && f.name ? <span title="required"> *</span> : null}
              </td>
              <td>
                <TypeCell field={f} />
              </td>
              <td>{f.description ? <Prose text={f.description} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Errors are one schema (RFC 9457 problem details): named once per operation, not per status. */
const PROBLEM = "Problem";

function ResponseList({ responses }: { responses: DocOperation["responses"] }) {
  return (
    <ul className="api-responses">
      {responses.map((r) => (
        <li key={r.status}>
          <code>{r.status}</code> <Prose text={r.description} />
          {r.ref && r.ref !== PROBLEM ? (
            <>
              {" "}
              — <a href={`#${anchor(r.ref)}`}>{r.ref}</a>
            </>
          ) : null}
          {r.mediaType && r.ref !== PROBLEM ? <span className="muted"> ({r.mediaType})</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function OperationCard({ op }: { op: DocOperation }) {
  return (
    <section id={op.id} className="card api-operation" aria-labelledby={`${op.id}-title`}>
      <h3 id={`${op.id}-title`} className="mono api-path">
        {op.method} {op.path}
      </h3>
      <p>
        <Prose text={op.summary} />
      </p>
      <p className="muted">Access: {op.access}.</p>
      {op.parameters.length ? (
        <>
          <h4>Parameters</h4>
          <FieldTable fields={op.parameters} label={`${op.method} ${op.path} parameters`} />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4>
            Request body <code>{op.body.mediaType}</code>
          </h4>
          <FieldTable fields={op.body.fields} label={`${op.method} ${op.path} request body`} />
        </>
      ) : null}
      <h4>Responses</h4>
      <ResponseList responses={op.responses.filter((r) => r.ref !== PROBLEM)} />
      <h4>
        Errors <span className="muted">(<a href={`#${anchor(PROBLEM)}`}>{PROBLEM}</a>, application/problem+json)</span>
      </h4>
      <ResponseList responses={op.responses.filter((r) => r.ref === PROBLEM)} />
      <h4>Example</h4>
      <pre className="api-curl" data-testid="curl-example">
        <code>{op.curl}</code>
      </pre>
    </section>
  );
}

export function SchemaCard({ name, description, fields }: { name: string; description?: string; fields: Field[] }) {
  return (
    <section id={anchor(name)} className="card api-operation" aria-labelledby={`${anchor(name)}-title`}>
      <h3 id={`${anchor(name)}-title`} className="mono">
        {name}
      </h3>
      {description ? (
        <p>
          <Prose text={description} />
        </p>
      ) : null}
      <FieldTable fields={fields} label={`${name} fields`} />
    </section>
  );
}
