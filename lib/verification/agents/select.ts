import "server-only";

import { getEnv } from "@/lib/config/env";

import { ALPHA_AGENT_ID, runAlpha } from "./alpha";
import { llmAgent } from "./llm";
import type { AgentInput, AgentVerdict } from "./types";
import { log } from "@/lib/log";

export interface SelectedVerdict extends AgentVerdict {
  agentId: string;
  agentType: "alpha" | "llm";
}

/**
 * The AI vote of a contribution: the LLM agent when configured and healthy, else (or when it fails,
 * or its circuit breaker is open) the built-in alpha agent. Either way the AI casts one vote.
 */
export async function aiVerdict(input: AgentInput, signal?: AbortSignal): Promise<SelectedVerdict> {
  const env = getEnv();
  if (env.LLM_BASE_URL && env.LLM_API_KEY && env.LLM_MODEL) {
    try {
      const verdict = await llmAgent().review(input, signal);
      return { ...verdict, agentId: `llm:${env.LLM_MODEL}`.slice(0, 100), agentType: "llm" };
    } catch (error) {
      log.warn("LLM agent unavailable, falling back to alpha", { reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { ...runAlpha(input), agentId: ALPHA_AGENT_ID, agentType: "alpha" };
}
