import type { AgentInput, AgentVerdict } from "../types";

import { analyzeCode } from "./code";
import { analyzeDataset } from "./dataset";
import { analyzeDocument } from "./document";

export const ALPHA_AGENT_ID = "alpha";

/** The built-in, offline AI agent: a deterministic analysis by file type of what inspect() read (bounded by AGENT_MAX_FILES and AGENT_MAX_BYTES). */
export function runAlpha(input: AgentInput): AgentVerdict {
  switch (input.fileType) {
    case "code":
      return analyzeCode(input);
    case "dataset":
      return analyzeDataset(input);
    case "document":
      return analyzeDocument(input);
  }
}
