import { describe, expect, it } from "vitest";

import { GET } from "@/app/api/v1/openapi.json/route";
import { contributionStatus } from "@/db/schema";
import { contributionFields } from "@/lib/contributions/fields";

import { openApiDocument } from "./openapi";

type Schema = { properties?: Record<string, Schema>; required?: string[]; additionalProperties?: unknown; enum?: string[] };
type Doc = { info: { license?: unknown; description: string }; components: { schemas: Record<string, Schema> }; paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; requestBody?: { content: Record<string, { schema: Schema }> } }>> };

/** Every `additionalProperties: false` below a node, by JSON path. */
function closedAt(node: unknown, at = "#"): string[] {
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (k === "additionalProperties" && v === false ? [at] : closedAt(v, `${at}/${k}`)));
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with every public route, generated from the route schemas", async () => {
    const res = await GET(new Request("http://localhost:3000/api/v1/openapi.json"), undefined);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0].url).toBe("http://localhost:3000");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/contributions", "/api/v1/contributions/{id}/file", "/api/v1/verifications", "/api/v1/users/{address}/stats"]),
    );
    const list = doc.paths["/api/v1/contributions"].get;
    const limit = list.parameters.find((p: { name: string }) => p.name === "limit");
    expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 50 });
    const status = list.parameters.find((p: { name: string }) => p.name === "status");
    expect(status.schema.enum).toContain("verified");
    const upload = doc.paths["/api/v1/contributions"].post.requestBody.content["multipart/form-data"].schema;
    expect(upload.properties.title).toMatchObject({ type: "string", maxLength: 200 });
    const vote = doc.paths["/api/v1/verifications"].post.requestBody.content["application/json"].schema;
    expect(vote.properties.vote_score).toMatchObject({ maximum: 100 });
    expect(vote.required).toEqual(expect.arrayContaining(["contribution_id", "vote_score"]));
  });

  it("is exact: every field listed and required, statuses enumerated, formats named", () => {
    const doc = openApiDocument("https://nwu.dev") as Doc;
    const c = doc.components.schemas.Contribution!;
    expect(Object.keys(c.properties!)).toEqual(Object.keys(contributionFields));
    expect(c.required).toEqual(Object.keys(contributionFields));
    expect(c.properties!.status!.enum).toEqual(contributionStatus.enumValues);
    expect(c.properties!.created_at).toMatchObject({ type: "string", format: "date-time" });
    expect(c.properties!.id).toMatchObject({ type: "string", format: "uuid" });
    expect(doc.components.schemas.ContributionDetail!.required).toContain("reward");
    for (const name of ["Problem", "RevealedVerification", "SealedVerification", "Reward", "Profile", "Stats", "ContributionStatus", "VoteResult"]) expect(doc.components.schemas[name]!.required?.length, name).toBeGreaterThan(0);
    expect(doc.components.schemas.Problem!.required).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "code"]));
  });

  it("keeps answers open and request bodies closed, and says clients ignore unknown fields", () => {
    const doc = openApiDocument("https://nwu.dev") as Doc;
    expect(closedAt(doc.components)).toEqual([]);
    const contents = Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => Object.entries(op.requestBody?.content ?? {})));
    // Fields in a body are closed; a tus PATCH's body is bytes (application/offset+octet-stream), not fields.
    const bodies = contents.filter(([type]) => type !== "application/offset+octet-stream").map(([, body]) => body);
    expect(contents.map(([type]) => type)).toContain("application/offset+octet-stream");
    expect(bodies).toHaveLength(7); // upload, agent vote, appeal, webhook endpoint; notifications read, preferences, e-mail
    for (const body of bodies) expect(body.schema.additionalProperties).toBe(false);
    expect(doc.info.description).toMatch(/must ignore fields they do not know/);
    expect(doc.info.license).toBeDefined();
  });
});
