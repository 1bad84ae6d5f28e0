import type { Metadata } from "next";
import { headers } from "next/headers";

import { OperationCard, Prose, SchemaCard } from "@/components/docs/api-reference";
import { apiDocs } from "@/lib/api/docs";
import { originOf } from "@/lib/http/origin";

export const metadata: Metadata = {
  title: "API reference",
  description: "NWU Protocol's REST API: every operation with its parameters, request and response schemas and a curl example, from the OpenAPI 3.1 document.",
};

/** A readable rendering of /api/v1/openapi.json (the same document), all on the server. */
export default async function ApiDocsPage() {
  const docs = apiDocs(originOf(await headers()));
  return (
    <>
      <h1>API reference</h1>
      <p>
        <Prose text={docs.description} />
      </p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Examples read an API key from <code>$NWU_API_KEY</code>{" "}
        (create one under Settings → API keys).
      </p>
      <nav aria-label="Operations" className="card api-index">
        <ul>
          {docs.operations.map((op) => (
            <li key={op.id}>
              <a href={`#${op.id}`} className="mono">
                {op.method} {op.path}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>Operations</h2>
      {docs.operations.map((op) => (
        <OperationCard key={op.id} op={op} />
      ))}
      <h2>Schemas</h2>
      {docs.schemas.map((s) => (
        <SchemaCard key={s.name} {...s} />
      ))}
    </>
  );
}
