import { describe, expect, it } from "vitest";

import { endpointOf } from "./principal";

describe("the endpoint name usage is counted under", () => {
  it("names ids and addresses, keeps plain words", () => {
    expect(endpointOf("/api/v1/contributions/0b4c4e1e-2f6a-4b7e-9a43-5f1c2b3d4e5f/file")).toBe("/api/v1/contributions/{id}/file");
    expect(endpointOf("/api/v1/users/0x00000000000000000000000000000000000000aB/stats")).toBe("/api/v1/users/{address}/stats");
    expect(endpointOf("/api/v1/openapi.json")).toBe("/api/v1/openapi.json");
  });

  it("stays short whatever the caller sends: junk segments are {param}, the whole at most 200 characters", () => {
    expect(endpointOf(`/api/v1/contributions/${"%F0%9F%99%82".repeat(2000)}/status`)).toBe("/api/v1/contributions/{param}/status");
    expect(endpointOf("/api/v1/contributions/urn%3Auuid%3A0000/verifications")).toBe("/api/v1/contributions/{param}/verifications");
    expect(endpointOf(`/api/v1/${"a/".repeat(500)}`).length).toBeLessThanOrEqual(200);
  });
});
