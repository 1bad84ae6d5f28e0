import { describe, expect, it } from "vitest";

import { apiDocs, typeOf } from "./docs";
import { openApiDocument } from "./openapi";

describe("the API reference derived from the OpenAPI document", () => {
  const docs = apiDocs("https://nwu.example");
  const doc = openApiDocument("https://nwu.example") as { paths: Record<string, Record<string, unknown>> };

  it("has every operation, each with a curl call against this origin", () => {
    expect(docs.operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
        .sort(),
    );
    for (const op of docs.operations) expect(op.curl).toMatch(/^curl (-X [A-Z]+ )?"https:\/\/nwu\.example\/api\//);
  });

  it("lists parameters, bodies and answers with their schemas", () => {
    const list = docs.operations.find((o) => o.id === "listContributions")!;
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["q (query)", "cursor (query)", "limit (query)"]));
    expect(list.responses.find((r) => r.status === "200")).toMatchObject({ ref: "ContributionPage", mediaType: "application/json" });
    const upload = docs.operations.find((o) => o.id === "uploadContribution")!;
    expect(upload.body?.mediaType).toBe("multipart/form-data");
    expect(upload.body?.fields.find((f) => f.name === "title")).toMatchObject({ required: true });
    expect(upload.curl).toContain(`-F "file=@./my-file"`);
    expect(upload.curl).toContain("Authorization: Bearer $NWU_API_KEY");
    const vote = docs.operations.find((o) => o.id === "castAgentVote")!;
    expect(vote.curl).toContain("-H \"Content-Type: application/json\"");
    expect(docs.schemas.find((s) => s.name === "ContributionPage")!.fields.find((f) => f.name === "items")).toMatchObject({ type: "Contribution[]", ref: "Contribution" });
  });

  it("names types shortly", () => {
    expect(typeOf({ type: "integer", minimum: 1, maximum: 100 }).type).toBe("integer (≥ 1, ≤ 100)");
    expect(typeOf({ enum: ["a", "b"] }).type).toBe('"a" | "b"');
    expect(typeOf({ type: ["string", "null"] }).type).toBe("string | null");
  });
});
