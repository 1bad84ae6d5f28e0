import "server-only";

import { z } from "zod";

import type { FileType } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { CircuitBreaker } from "@/lib/http/circuit-breaker";
import { ExternalServiceError, fetchWithRetry } from "@/lib/http/fetch-retry";

import { SUB_SCORE_NAMES, SUB_SCORES, clampScore, type AgentInput, type AgentVerdict } from "./types";

const PROMPT_SAMPLE_BYTES = 12_000;

const verdictSchema = z.object({
  vote_score: z.number().min(0).max(100),
  sub_scores: z.record(z.string(), z.number().min(0).max(100)),
  reasoning: z.string().max(4000),
});

// Compiled once: "1. Quality: 85", "**Security** - 40/100", "utility = 70" → the score, never the list number.
const SCORE_LINES = new Map(
  SUB_SCORE_NAMES.map((key) => [
    key,
    new RegExp(`^[\\s>*_-]*(?:\\d+[.)]\\s*)?[*_]*${key}[*_]*(?:\\s+score)?[*_]*\\s*[:=\\-–]\\s*[*_]*(\\d{1,3}(?:\\.\\d+)?)(?:\\s*(?:\\/|out of)\\s*100)?`, "im"),
  ]),
);
const OVERALL = /^[\s>*_-]*(?:\d+[.)]\s*)?[*_]*(?:overall|vote|final|total)(?:\s+(?:vote|score))?[*_]*\s*[:=\-–]\s*[*_]*(\d{1,3}(?:\.\d+)?)/im;
const CODE_FENCE = /^```(?:json)?\s*([\s\S]*?)\s*```$/;

/** Reads a model's answer: JSON matching the schema, or failing that, scores written as text. */
export function parseVerdict(content: string, fileType: FileType): AgentVerdict {
  const keys = SUB_SCORES[fileType];
  const trimmed = content.trim();
  const json = CODE_FENCE.exec(trimmed)?.[1] ?? trimmed;
  try {
    const parsed = verdictSchema.parse(JSON.parse(json));
    const subScores = Object.fromEntries(keys.map((k) => [k, clampScore(parsed.sub_scores[k] ?? parsed.vote_score)]));
    return { voteScore: clampScore(parsed.vote_score), subScores, reasoning: parsed.reasoning, details: { format: "json" } };
  } catch {
    // Not the JSON we asked for: read the text.
  }
  const subScores: Record<string, number> = {};
  for (const key of keys) {
    const match = SCORE_LINES.get(key)!.exec(content);
    if (match) subScores[key] = clampScore(Number(match[1]));
  }
  const found = Object.values(subScores);
  const overall = OVERALL.exec(content);
  if (!overall && found.length === 0) throw new ExternalServiceError("LLM", "the answer contains no scores");
  const voteScore = overall ? clampScore(Number(overall[1])) : clampScore(found.reduce((a, b) => a + b, 0) / found.length);
  for (const key of keys) subScores[key] ??= voteScore;
  return { voteScore, subScores, reasoning: content.slice(0, 1000), details: { format: "text" } };
}

export class LlmAgent {
  readonly breaker = new CircuitBreaker("LLM", { failureThreshold: 3, cooldownMs: getEnv().CIRCUIT_COOLDOWN_MS });

  constructor(private readonly config: { baseUrl: string; apiKey: string; model: string; timeoutMs: number }) {}

  async review(input: AgentInput, signal?: AbortSignal): Promise<AgentVerdict> {
    return this.breaker.run(async () => {
      const keys = SUB_SCORES[input.fileType];
      const excerpt = new TextDecoder("utf-8", { fatal: false }).decode(input.sample.subarray(0, PROMPT_SAMPLE_BYTES));
      const res = await fetchWithRetry(
        `${this.config.baseUrl.replace(/\/$/, "")}/chat/completions`,
        {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${this.config.apiKey}` },
          body: JSON.stringify({
            model: this.config.model,
            temperature: 0,
            messages: [
              {
                role: "system",
                content: `You review ${input.fileType} contributions to an open knowledge platform. Score 0-100 for ${keys.join(", ")}, an overall vote_score, and a short reasoning. Answer with JSON only.`,
              },
              {
                role: "user",
                content: `Title: ${input.title}\nDescription: ${input.description}\nFile: ${input.fileName} (${input.mediaType}, ${input.size} bytes)\n---\n${excerpt}`,
              },
            ],
            response_format: {
              type: "json_schema",
              json_schema: {
                name: "verdict",
                strict: true,
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["vote_score", "sub_scores", "reasoning"],
                  properties: {
                    vote_score: { type: "number", minimum: 0, maximum: 100 },
                    sub_scores: {
                      type: "object",
                      additionalProperties: false,
                      required: [...keys],
                      properties: Object.fromEntries(keys.map((k) => [k, { type: "number", minimum: 0, maximum: 100 }])),
                    },
                    reasoning: { type: "string" },
                  },
                },
              },
            },
          }),
        },
        { service: "LLM", timeoutMs: this.config.timeoutMs, retries: 2, signal },
      );
      if (!res.ok) throw new ExternalServiceError("LLM", `HTTP ${res.status}`, res.status);
      const body = (await res.json().catch(() => null)) as { choices?: { message?: { content?: string } }[] } | null;
      const content = body?.choices?.[0]?.message?.content;
      if (typeof content !== "string" || !content.trim()) throw new ExternalServiceError("LLM", "empty answer");
      return parseVerdict(content, input.fileType);
    });
  }
}

// On globalThis: Next bundles route handlers and instrumentation (the job worker) separately, and
// the health check must see the breaker the worker trips.
const globalForLlm = globalThis as unknown as { __nwuLlmAgent?: { key: string; instance: LlmAgent } };

/** The LLM circuit breaker's state, when the agent has been used in this process. */
export const llmBreakerState = () => globalForLlm.__nwuLlmAgent?.instance.breaker.state ?? "closed";

/** One agent (and one circuit breaker) per process and configuration. */
export function llmAgent(): LlmAgent {
  const env = getEnv();
  const config = { baseUrl: env.LLM_BASE_URL!, apiKey: env.LLM_API_KEY!, model: env.LLM_MODEL!, timeoutMs: env.LLM_TIMEOUT_MS };
  const key = `${config.baseUrl}|${config.model}|${config.timeoutMs}`;
  if (globalForLlm.__nwuLlmAgent?.key !== key) globalForLlm.__nwuLlmAgent = { key, instance: new LlmAgent(config) };
  return globalForLlm.__nwuLlmAgent.instance;
}
