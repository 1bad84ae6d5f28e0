import type { Metadata } from "next";

import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API reference" };

type Operation = { summary?: string; parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, unknown>; security?: Record<string, string[]>[] };

/** A readable rendering of /api/v1/openapi.json (the same document). */
export default function ApiDocsPage() {
  const doc = openApiDocument("") as { info: { description: string }; paths: Record<string, Record<string, Operation>> };
  return (
    <>
      <h1>API reference</h1>
      <p>{doc.info.description}</p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
      </p>
      {Object.entries(doc.paths).map(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <section key={`${method} ${path}`} className="card" aria-label={`${method.toUpperCase()} ${path}`} style={{ marginBottom: "1rem" }}>
            <h2 className="mono">
              {method.toUpperCase()} {path}
            </h2>
            <p>{op.summary}</p>
            {op.security?.[0] ? (
              <p>
                Scope: <code>{Object.values(op.security[0])[0]?.join(", ") || "session"}</code>
              </p>
            ) : null}
            {op.parameters?.length ? (
              <p>
                Parameters:{" "}
                {op.parameters.map((p) => (
                  <code key={p.name}>
                    {p.name}
                    {p.required ? "*" : ""} ({p.in}){" "}
                  </code>
                ))}
              </p>
            ) : null}
            <p>Responses: {Object.keys(op.responses ?? {}).join(", ")}</p>
          </section>
        )),
      )}
    </>
  );
}
