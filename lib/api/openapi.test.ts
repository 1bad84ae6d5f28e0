import { describe, expect, it } from "vitest";

import { GET } from "@/app/api/v1/openapi.json/route";

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
});
