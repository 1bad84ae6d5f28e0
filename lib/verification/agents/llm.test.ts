import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { resetEnvCache } from "@/lib/config/env";
import { CircuitOpenError } from "@/lib/http/circuit-breaker";
import { startFakeLlm, type FakeLlm } from "@/test/fake-llm";

import { bytesReader } from "@/lib/previews/reader";

import { agentInput } from "./inspect";
import { LlmAgent, llmAgent, parseVerdict } from "./llm";
import { aiVerdict } from "./select";
import type { AgentInput } from "./types";

const source = new TextEncoder().encode("def f():\n    return 1\n");
const input: AgentInput = await agentInput(
  { fileType: "code", mediaType: "text/x-source", fileName: "a.py", size: source.length, title: "A", description: "", metadata: {} },
  bytesReader(source),
  { maxFiles: 200, maxBytes: 1 << 20 },
);

describe("parsing a model's answer", () => {
  it("reads JSON (also inside a code fence)", () => {
    const v = parseVerdict('```json\n{"vote_score": 72, "sub_scores": {"quality": 80, "originality": 60, "security": 90, "documentation": 50}, "reasoning": "fine"}\n```', "code");
    expect(v).toMatchObject({ voteScore: 72, subScores: { quality: 80, originality: 60, security: 90, documentation: 50 }, reasoning: "fine" });
  });

  it('reads "1. Quality: 85" as 85, not 1', () => {
    const v = parseVerdict("Here is my review.\n1. Quality: 85\n2. Originality: 70\n3. Security: 40/100\n4. **Documentation**: 60\nOverall: 66\nGood work.", "code");
    expect(v.subScores).toEqual({ quality: 85, originality: 70, security: 40, documentation: 60 });
    expect(v.voteScore).toBe(66);
  });

  it("averages the sub-scores when no overall is given, and rejects an answer without scores", () => {
    expect(parseVerdict("Quality - 80\nOriginality = 60\nAccuracy: 70\nCompleteness: 90", "document").voteScore).toBe(75);
    expect(() => parseVerdict("I cannot help with that.", "code")).toThrow(/no scores/);
  });
});

describe("LLM agent against a chat-completions server", () => {
  let fake: FakeLlm;
  beforeAll(async () => {
    fake = await startFakeLlm();
    Object.assign(process.env, { LLM_BASE_URL: fake.url, LLM_API_KEY: "test-key", LLM_MODEL: "test-model", LLM_TIMEOUT_MS: "500" });
    resetEnvCache();
  });
  afterAll(async () => {
    for (const k of ["LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL", "LLM_TIMEOUT_MS"]) delete process.env[k];
    resetEnvCache();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("asks for schema'd JSON with the key and model, and uses the answer", async () => {
    fake.mode = { kind: "content", content: JSON.stringify({ vote_score: 81, sub_scores: { quality: 80, originality: 82, security: 90, documentation: 70 }, reasoning: "ok" }) };
    const v = await aiVerdict(input);
    expect(v).toMatchObject({ agentType: "llm", agentId: "llm:test-model", voteScore: 81 });
    expect(fake.requests[0]!.authorization).toBe("Bearer test-key");
    expect(fake.requests[0]!.body.model).toBe("test-model");
    expect(fake.requests[0]!.body.response_format).toMatchObject({ type: "json_schema" });
  });

  it("text answers are read too", async () => {
    fake.mode = { kind: "content", content: "1. Quality: 85\n2. Originality: 70\n3. Security: 40\n4. Documentation: 60" };
    const v = await aiVerdict(input);
    expect(v.agentType).toBe("llm");
    expect(v.subScores.quality).toBe(85);
  });

  it("retries, then opens the circuit and falls back to alpha without calling the failing service", async () => {
    fake.mode = { kind: "status", status: 503 };
    for (let i = 0; i < 3; i++) expect((await aiVerdict(input)).agentType).toBe("alpha");
    expect(fake.requests.length).toBe(9); // 3 reviews × (1 try + 2 retries)
    expect(llmAgent().breaker.state).toBe("open");
    await expect(llmAgent().review(input)).rejects.toBeInstanceOf(CircuitOpenError);
    const v = await aiVerdict(input);
    expect(v.agentType).toBe("alpha");
    expect(fake.requests.length).toBe(9);
  });

  it("a hanging service times out with a clear error", async () => {
    const agent = new LlmAgent({ baseUrl: fake.url, apiKey: "k", model: "m", timeoutMs: 200 });
    fake.mode = { kind: "hang" };
    const started = Date.now();
    await expect(agent.review(input)).rejects.toThrow(/LLM: no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
