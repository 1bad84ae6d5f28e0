import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { ballotCommitment, ballotEncoding, newSalt } from "./commitment";

const ballot = {
  contributionId: "6f1c2a4e-0b5d-4c3e-9a7f-1e2d3c4b5a69",
  voter: "0x8ba1f109551bd432803012645ac136ddd64dba72",
  voteScore: 85,
  // Given out of order: the encoding sorts by name.
  subScores: { security: 80, quality: 90 },
  reasoning: "Clear code — “tested”.\nLine 2",
  salt: "00".repeat(32),
};

describe("sealed ballot commitments", () => {
  // The vector was computed outside this codebase, with Python's json.dumps(separators=(",", ":"),
  // ensure_ascii=False) and hashlib.sha256: the documented encoding, not our implementation of it.
  it("matches an independently computed vector", () => {
    expect(ballotEncoding(ballot)).toBe(
      '["nwu-ballot-v1","6f1c2a4e-0b5d-4c3e-9a7f-1e2d3c4b5a69","0x8ba1f109551bd432803012645ac136ddd64dba72",85,[["quality",90],["security",80]],"Clear code — “tested”.\\nLine 2","0000000000000000000000000000000000000000000000000000000000000000"]',
    );
    expect(ballotCommitment(ballot)).toBe("a194a7e50cc1654391903f1d299b87bc119b701ab36d5e45937cd0c24627c2e7");
  });

  it("changes with every field, so a revealed vote cannot differ from the committed one", () => {
    const base = ballotCommitment(ballot);
    const edits = [{ voteScore: 86 }, { voter: "agent:alpha" }, { subScores: { quality: 91, security: 80 } }, { reasoning: "Clear code" }, { salt: "11".repeat(32) }, { contributionId: "6f1c2a4e-0b5d-4c3e-9a7f-1e2d3c4b5a6a" }];
    for (const edit of edits) expect(ballotCommitment({ ...ballot, ...edit }), JSON.stringify(edit)).not.toBe(base);
  });

  it("draws a fresh 256-bit salt each time", () => {
    const a = newSalt();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(newSalt()).not.toBe(a);
    expect(createHash("sha256").update(ballotEncoding({ ...ballot, salt: a })).digest("hex")).toBe(ballotCommitment({ ...ballot, salt: a }));
  });
});
